/** A small least-recently-used map; `onEvict` gets the entries it drops (to release sessions). */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    readonly capacity: number,
    private readonly onEvict: (value: V, key: K) => void = () => {},
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const [oldKey, oldValue] = this.entries.entries().next().value as [K, V];
      this.entries.delete(oldKey);
      this.onEvict(oldValue, oldKey);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Empties the map, handing every entry to `onEvict`. */
  clear(): void {
    const all = [...this.entries];
    this.entries.clear();
    for (const [key, value] of all) this.onEvict(value, key);
  }
}
