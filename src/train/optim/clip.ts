export interface ClipConfig {
  /** Scale all gradients together so that their global L2 norm is at most this. */
  norm?: number;
  /** Clamp every gradient element to [−value, value]. */
  value?: number;
}

/**
 * torch.nn.utils.clip_grad_value_ then clip_grad_norm_ (norm over all gradients as one
 * vector, scale = max_norm / (norm + 1e-6) when above). Returns the norm before clipping.
 */
export function clipGradients(grads: ReadonlyMap<string, Float32Array>, config: ClipConfig): number {
  if (config.value !== undefined) {
    const c = config.value;
    for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] = Math.min(c, Math.max(-c, g[i]!));
  }
  let sum = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  const norm = Math.sqrt(sum);
  if (config.norm !== undefined && norm > config.norm) {
    const scale = config.norm / (norm + 1e-6);
    for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
  }
  return norm;
}
