import { describe, expect, it } from 'vitest';
import { castTensor } from '../../../src/tensor/cast.js';
import { parseTensorText, parseTensorValue, tensorToJson } from '../../../src/tensor/json.js';
import { Tensor } from '../../../src/tensor/tensor.js';

describe('tensor JSON files', () => {
  it('reads the {shape, dtype, data} form', () => {
    const { tensor, dtypeGiven } = parseTensorText('{"shape":[2,3],"dtype":"float64","data":[1,2,3,4,5,6]}', 'x.json');
    expect(dtypeGiven).toBe(true);
    expect(tensor.dtype).toBe('float64');
    expect(tensor.shape).toEqual([2, 3]);
    expect([...(tensor.data as Float64Array)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads bare nested arrays, whose type the caller may choose', () => {
    const { tensor, dtypeGiven } = parseTensorValue([[1, 2], [3, 4], [5, 6]], 'x');
    expect(dtypeGiven).toBe(false);
    expect(tensor.shape).toEqual([3, 2]);
    expect(castTensor(tensor, 'int64').data).toEqual(BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n]));
    expect(parseTensorValue([true, false], 'b').tensor.dtype).toBe('bool');
    expect(parseTensorValue(3.5, 's').tensor.shape).toEqual([]);
  });

  it('round-trips NaN, infinities and large int64 values', () => {
    const t = Tensor.float32([3], [NaN, Infinity, -Infinity]);
    const back = parseTensorValue(JSON.parse(JSON.stringify(tensorToJson(t))), 't').tensor;
    expect([...(back.data as Float32Array)]).toEqual([NaN, Infinity, -Infinity]);
    const big = new Tensor('int64', [2], BigInt64Array.from([9007199254740993n, -5n]));
    const json = tensorToJson(big);
    expect(json.data).toEqual(['9007199254740993', -5]);
    expect(parseTensorValue(json, 'big').tensor.data).toEqual(big.data);
  });

  it('names the problem for malformed files', () => {
    expect(() => parseTensorText('{"shape":[2,', 'f.json')).toThrow(/^f\.json: not valid JSON/);
    expect(() => parseTensorValue([[1, 2], [3]], 'r')).toThrow(/ragged nested array at \[1\] \(expected 2 elements\)/);
    expect(() => parseTensorValue({ shape: [2, 2], data: [1, 2, 3] }, 's')).toThrow(/shape \[2, 2\] needs 4 values but "data" has 3/);
    expect(() => parseTensorValue({ shape: [2], dtype: 'float31', data: [1, 2] }, 'd')).toThrow(/unknown dtype "float31"/);
    expect(() => parseTensorValue({ dtype: 'int64', data: [1.5] }, 'i')).toThrow(/element 0 \(1\.5\) is not a valid int64 value/);
    expect(() => parseTensorValue({ shape: [1], data: ['x'] }, 'n')).toThrow(/element 0 \("x"\) is not a valid float32 value/);
    expect(() => castTensor(Tensor.float32([1], [300]), 'uint8', 'input "x"')).toThrow(/input "x": value 300 at index 0 does not fit in uint8/);
  });
});
