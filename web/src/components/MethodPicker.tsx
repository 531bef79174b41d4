/** Captum's methods as a multi-select, grouped by family; layer and neuron methods ask for their layer. */
import type { MethodSummary } from '../api.js';

const FAMILIES: { family: MethodSummary['family']; title: string }[] = [
  { family: 'gradient', title: 'Gradient' },
  { family: 'perturbation', title: 'Perturbation' },
  { family: 'layer', title: 'Layer' },
  { family: 'neuron', title: 'Neuron' },
];

export const MAX_METHODS = 6;

interface Props {
  methods: MethodSummary[];
  selected: string[];
  onChange(selected: string[]): void;
}

export function MethodPicker({ methods, selected, onChange }: Props) {
  const toggle = (name: string, on: boolean): void => {
    onChange(on ? [...selected, name] : selected.filter((s) => s !== name));
  };
  return (
    <fieldset className="methods">
      <legend>Methods <span className="muted small">(up to {MAX_METHODS}, drawn side by side)</span></legend>
      <div className="method-groups">
        {FAMILIES.map(({ family, title }) => (
          <div key={family} className="method-group">
            <div className="group-title">{title}</div>
            {methods.filter((m) => m.family === family).map((m) => {
              const checked = selected.includes(m.name);
              return (
                <label key={m.name} className="check">
                  <input
                    type="checkbox"
                    name="method"
                    value={m.name}
                    checked={checked}
                    disabled={!checked && selected.length >= MAX_METHODS}
                    onChange={(e) => toggle(m.name, e.currentTarget.checked)}
                  />
                  {m.title}
                </label>
              );
            })}
          </div>
        ))}
      </div>
    </fieldset>
  );
}
