/**
 * `adam-simd predict model.json data.csv [--out predictions.csv]`: the model of a
 * `train --save` file applied to new rows with the training's transform (its feature
 * columns, in their order, standardised as in training). A CSV that lacks a feature column
 * is refused, naming it. One output line per data row; a row with a missing feature gets an
 * empty prediction. Without --out the predictions go to stdout and the summary to stderr.
 */
import { columnsNamed, completeRows, matrixOfRows } from '../data/records.js';
import { badCellError, readCsv } from '../data/table.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { regressionMetrics } from '../model/metrics.js';
import { predictWithFile, readModelFile } from '../model/model-file.js';

export interface PredictOptions {
  out?: string;
  delimiter?: string;
}

/** RFC 4180: quote a field holding a comma, a quote or a line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function predict(modelPath: string, csvPath: string, o: PredictOptions): Promise<void> {
  const file = readModelFile(modelPath);
  const table = readCsv(csvPath, { delimiter: o.delimiter });
  const names = table.columns.map((c) => c.name);
  const absent = file.features.filter((f) => !names.includes(f));
  if (absent.length > 0) {
    throw new RangeError(
      `${csvPath} lacks the model's feature column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')} (the model reads ${file.features.join(', ')}; the CSV has ${names.join(', ')})`,
    );
  }
  const features = columnsNamed(table, file.features);
  for (const c of features) if (c.bad > 0) throw badCellError(table, c);
  const { keep, kept } = completeRows(features, table.rows);
  // String(v) is the shortest text that reads back as the same double: the bits survive the CSV.
  const predictions = kept > 0 ? predictWithFile(file, matrixOfRows(features, keep, kept, file.model.dtype)) : new Float64Array(0);
  const lines = [csvField(`predicted_${file.target}`)];
  for (let i = 0, k = 0; i < table.rows; i++) lines.push(keep[i] ? String(predictions[k++]) : '');
  const csv = lines.join('\n') + '\n';

  const summary = [
    `${kept} predictions of ${file.target} from ${file.features.length} features` +
      (kept < table.rows ? ` (${table.rows - kept} row${table.rows - kept === 1 ? '' : 's'} with a missing feature left empty)` : ''),
  ];
  const ignored = names.filter((n) => !file.features.includes(n) && n !== file.target);
  if (ignored.length) summary.push(`ignored columns: ${ignored.join(', ')}`);
  // With the target in the CSV (a labelled test set), say how good the predictions are.
  const target = table.columns.find((c) => c.name === file.target);
  if (target && target.bad === 0) {
    const both = completeRows([...features, target], table.rows);
    if (both.kept > 0) {
      const y = matrixOfRows([target], both.keep, both.kept, 'float64').data;
      const p = new Float64Array(both.kept);
      for (let i = 0, k = 0, j = 0; i < table.rows; i++) {
        if (keep[i]) {
          if (both.keep[i]) p[j++] = predictions[k]!;
          k++;
        }
      }
      const m = regressionMetrics(p, y);
      summary.push(
        `against ${file.target} in the CSV: MSE ${m.mse.toPrecision(5)}  MAE ${m.mae.toPrecision(5)}  R² ${m.r2.toFixed(4)}  (${both.kept} rows)`,
      );
    }
  }
  if (o.out) {
    await writeFileAtomic(o.out, csv);
    summary.push(`predictions written to ${o.out}`);
    summary.forEach((l) => console.log(l));
  } else {
    process.stdout.write(csv);
    summary.forEach((l) => console.error(l));
  }
}
