/**
 * "Explain your own input": a sentence for text runs, an image upload for image runs, and a
 * test example of the run's dataset for both.
 */
import { useState } from 'react';
import { api, type RunInput } from '../api.js';
import { useApi } from '../useApi.js';

export type InputChoice = { text: string } | { image: string; name: string } | { example: number };

const MAX_IMAGE_BYTES = 2 * 2 ** 20;

interface Props {
  runId: string;
  input: RunInput;
  value: InputChoice | undefined;
  onChange(value: InputChoice | undefined): void;
}

type Mode = 'own' | 'example';

export function InputBox({ runId, input, value, onChange }: Props) {
  const [mode, setMode] = useState<Mode>('own');
  const isText = input.kind === 'tokens';
  const tab = (m: Mode, label: string) => (
    <button type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'tab active' : 'tab'} onClick={() => { setMode(m); onChange(undefined); }}>
      {label}
    </button>
  );
  return (
    <div className="input-box">
      <div className="tabs" role="tablist" aria-label="What to explain">
        {tab('own', isText ? 'Your sentence' : 'Your image')}
        {tab('example', 'A test example')}
      </div>
      <div role="tabpanel">
        {mode === 'example' && <ExamplePicker runId={runId} isText={isText} value={value && 'example' in value ? value.example : undefined} onChange={(example) => onChange({ example })} />}
        {mode === 'own' && isText && (
          <label className="field wide">
            <span>Sentence</span>
            <input
              type="text"
              name="text"
              maxLength={2000}
              placeholder="a quietly devastating film with a terrible ending"
              value={value && 'text' in value ? value.text : ''}
              onChange={(e) => onChange(e.currentTarget.value ? { text: e.currentTarget.value } : undefined)}
            />
          </label>
        )}
        {mode === 'own' && !isText && <ImageUpload value={value && 'image' in value ? value : undefined} onChange={onChange} shape={input.shape} />}
      </div>
    </div>
  );
}

function ExamplePicker({ runId, isText, value, onChange }: { runId: string; isText: boolean; value: number | undefined; onChange(i: number): void }) {
  const examples = useApi(`examples:${runId}`, () => api.examples(runId, 50));
  if (examples.error) return <p className="error" role="alert">{examples.error}</p>;
  if (!examples.data) return <p className="muted">Loading examples…</p>;
  return (
    <label className="field wide">
      <span>Test example <span className="muted small">(first {examples.data.examples.length} of {examples.data.size})</span></span>
      <select name="example" value={value ?? ''} onChange={(e) => e.currentTarget.value !== '' && onChange(Number(e.currentTarget.value))}>
        <option value="" disabled>choose an example…</option>
        {examples.data.examples.map((ex) => (
          <option key={ex.index} value={ex.index}>
            #{ex.index} · {ex.labelName}{isText && ex.text ? ` · ${ex.text.length > 90 ? `${ex.text.slice(0, 90)}…` : ex.text}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

function ImageUpload({ value, onChange, shape }: { value: { image: string; name: string } | undefined; onChange(v: InputChoice | undefined): void; shape: number[] }) {
  const [error, setError] = useState<string>();
  const read = (file: File | undefined): void => {
    setError(undefined);
    if (!file) return onChange(undefined);
    if (file.size > MAX_IMAGE_BYTES) {
      setError(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MiB; images up to 2 MiB`);
      return onChange(undefined);
    }
    const reader = new FileReader();
    reader.onload = () => onChange({ image: String(reader.result), name: file.name });
    reader.onerror = () => setError(`cannot read ${file.name}`);
    reader.readAsDataURL(file);
  };
  return (
    <div className="upload">
      <label className="field">
        <span>Image <span className="muted small">(PNG, JPEG or WebP, resized to {shape.slice(1).join('×')}{shape[0] === 1 ? ', grey' : ''})</span></span>
        <input type="file" name="image" accept="image/png,image/jpeg,image/webp" onChange={(e) => read(e.currentTarget.files?.[0])} />
      </label>
      {value && <img className="preview" src={value.image} alt={`the uploaded image ${value.name}`} />}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
