// Times onnxruntime-node on the models bench/torch_bench.py exported:
// 2 intra-op threads, 1 inter-op thread, every graph optimisation, 3
// warm-up runs, the median of at least 7 timed runs, more until 2 s have
// gone or 50 have run (as bench/torch_bench.py), on the same .npy inputs.
//
//   node bench/ort_bench.mjs bench/out resnet18 ...
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readNpy } from './npy.mjs';

async function medianMs(fn, warmup = 3, runs = 7, minMs = 2000, most = 50) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const total = () => times.reduce((a, b) => a + b, 0);
  while (times.length < runs || (total() < minMs && times.length < most)) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const [out, ...models] = process.argv.slice(2);
for (const name of models) {
  const dir = path.join(out, name);
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
    intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  const result = {};
  for (const b of [1, 8]) {
    const { data, shape } = readNpy(path.join(dir, `input${b}.npy`));
    const feeds = { input: new ort.Tensor('float32', data, shape) };
    result[b] = await medianMs(() => session.run(feeds));
  }
  fs.writeFileSync(path.join(dir, 'ort.json'), JSON.stringify(result));
  console.log(`onnxrt   ${name.padEnd(24)} b1 ${result[1].toFixed(2).padStart(9)} ms   b8 ${result[8].toFixed(2).padStart(9)} ms`);
}
