// Prints onnxruntime's own per-node times for one of the models
// bench/run.sh exported, to set beside `cnnc bench MODEL` layer by layer:
// the same session options as ort_bench.mjs plus onnxruntime's profiler,
// 5 warm-up runs, and each node's median kernel time over the next 25.
//
//   node bench/ort_profile.mjs bench/out torchvision_resnet50 [BATCH]
//
// (run bench/run.sh MODEL first for bench/out/MODEL/model.onnx and the
// inputs). Node names are onnxruntime's, after its fusions: a convolution
// with its batch norm, ReLU and residual add is one node, named after the
// last op it absorbed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readNpy } from './npy.mjs';

const [out, name, batch = '1'] = process.argv.slice(2);
if (!out || !name) {
  console.error('usage: node bench/ort_profile.mjs OUT MODEL [BATCH]');
  process.exit(2);
}
const dir = path.join(out, name);
const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ort-profile-')), 'profile');
const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
  intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  enableProfiling: true, profileFilePrefix: prefix,
});
const { data, shape } = readNpy(path.join(dir, `input${batch}.npy`));
const feeds = { input: new ort.Tensor('float32', data, shape) };
const warmup = 5, runs = 25;
for (let i = 0; i < warmup + runs; i++) await session.run(feeds);
session.endProfiling();

const file = fs.readdirSync(path.dirname(prefix)).map(f => path.join(path.dirname(prefix), f))[0];
const nodes = new Map(); // name -> {op, times}, in execution order
for (const e of JSON.parse(fs.readFileSync(file, 'utf8'))) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const n = e.name.slice(0, -'_kernel_time'.length);
  if (!nodes.has(n)) nodes.set(n, { op: e.args.op_name, times: [] });
  nodes.get(n).times.push(e.dur);
}
fs.rmSync(path.dirname(prefix), { recursive: true });
const median = xs => { const s = xs.slice(warmup).sort((a, b) => a - b); return s[Math.floor(s.length / 2)] || 0; };
let total = 0;
console.log(`${'node'.padEnd(64)} ${'op'.padEnd(18)} ${'ms'.padStart(8)}`);
for (const [n, { op, times }] of nodes) {
  const ms = median(times) / 1000;
  total += ms;
  console.log(`${n.padEnd(64)} ${op.padEnd(18)} ${ms.toFixed(3).padStart(8)}`);
}
console.log(`${'sum of the nodes'.padEnd(83)} ${total.toFixed(3).padStart(8)}`);
