// readNpy reads a little-endian float32 C-order .npy file (the inputs
// bench/torch_bench.py writes) as {data: Float32Array, shape}.
import fs from 'node:fs';

export function readNpy(file) {
  const buf = fs.readFileSync(file);
  const hlen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + hlen);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1].split(',').filter(s => s.trim()).map(Number);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + hlen, buf.byteOffset + buf.length));
  return { data, shape };
}
