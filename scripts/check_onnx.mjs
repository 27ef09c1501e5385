// Runs an ONNX model exported by `cocotrain export --format onnx` with ONNX
// Runtime (npm's onnxruntime-node, CPU) and compares its embeddings with
// reference embeddings, image by image, at each batch size given.
//
//   node scripts/check_onnx.mjs MODEL.onnx INPUT.npy REF.npy [BATCH ...]
//
// INPUT.npy: float32 N×C×H×W, the images as cocotrain's loader feeds them
// (normalised to (v − 127.5)/127.5); REF.npy: float32 N×D, cocotrain's
// embeddings of the same images (`cocotrain embed --no-flip`, which
// L2-normalises them; the cosine does not mind). BATCH defaults to "1 64":
// the images are run in consecutive batches of that size (the last one
// shorter). Prints one JSON line per batch size and exits 1 when any cosine
// is below 0.99999 (COCOTRAIN_MIN_COSINE overrides).
//
// onnxruntime-node is looked up under scripts/.onnx (install it with
//   ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --prefix scripts/.onnx onnxruntime-node
// ; the CPU runtime is in the package itself) or under $ONNX_NODE_PREFIX.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = process.env.ONNX_NODE_PREFIX || path.join(here, '.onnx');
const ort = createRequire(path.join(prefix, 'package.json'))('onnxruntime-node');

// readNpy returns {shape, data} of a little-endian float32 C-order .npy file.
function readNpy(file) {
  const b = readFileSync(file);
  if (b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not an .npy file`);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = b.toString('latin1', start, start + hlen);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${file}: want little-endian float32 in C order, header ${header.trim()}`);
  }
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const off = start + hlen;
  const n = shape.reduce((a, v) => a * v, 1);
  if (b.length - off !== 4 * n) throw new Error(`${file}: ${b.length - off} data bytes for shape ${shape}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = b.readFloatLE(off + 4 * i);
  return { shape, data };
}

function cosine(a, b) {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

async function main() {
  const [model, inputFile, refFile, ...batches] = process.argv.slice(2);
  if (!refFile) {
    console.error('usage: node scripts/check_onnx.mjs MODEL.onnx INPUT.npy REF.npy [BATCH ...]');
    process.exit(2);
  }
  const minCos = Number(process.env.COCOTRAIN_MIN_COSINE || 0.99999);
  const x = readNpy(inputFile);
  const ref = readNpy(refFile);
  const [n, c, h, w] = x.shape;
  const d = ref.shape[1];
  if (x.shape.length !== 4 || ref.shape.length !== 2 || ref.shape[0] !== n) {
    throw new Error(`input ${x.shape} and reference ${ref.shape} do not match`);
  }
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  if (session.inputNames.length !== 1 || session.inputNames[0] !== 'data' || session.outputNames.length !== 1) {
    throw new Error(`${model}: inputs ${session.inputNames}, outputs ${session.outputNames}: want one input "data" and one output`);
  }
  const out = session.outputNames[0];
  const per = c * h * w;
  let ok = true;
  for (const bs of (batches.length ? batches : ['1', '64']).map(Number)) {
    let worst = 1, worstAt = -1;
    for (let i = 0; i < n; i += bs) {
      const m = Math.min(bs, n - i);
      const t = new ort.Tensor('float32', x.data.subarray(i * per, (i + m) * per), [m, c, h, w]);
      const y = (await session.run({ data: t }))[out];
      if (y.dims.length !== 2 || y.dims[0] !== m || y.dims[1] !== d) {
        throw new Error(`${model}: output dims ${y.dims} for a batch of ${m}, want [${m}, ${d}]`);
      }
      for (let j = 0; j < m; j++) {
        const cs = cosine(y.data.subarray(j * d, (j + 1) * d), ref.data.subarray((i + j) * d, (i + j + 1) * d));
        if (!(cs >= worst)) {
          worst = cs;
          worstAt = i + j;
        }
      }
    }
    const pass = worst >= minCos;
    ok &&= pass;
    console.log(JSON.stringify({ model, runtime: `onnxruntime-node ${ort.env.versions.node}`, batch: bs, images: n, min_cosine: worst, worst_image: worstAt, pass }));
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
