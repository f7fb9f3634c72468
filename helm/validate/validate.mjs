// Validates rendered Kubernetes manifests against the JSON schemas of the `kubernetes-models` package.
//
//   node validate.mjs DIR|FILE...                 every object must be valid; exit 1 otherwise
//   node validate.mjs --expect-invalid FILE...    every object must be INVALID (proves the check bites)
//
// Custom resources (KEDA, Prometheus Operator, Strimzi) have no schema here: they are listed and
// skipped; the chart's JUnit tests check their structure. An unknown built-in kind is an error.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const CUSTOM_GROUPS = new Set(["keda.sh", "monitoring.coreos.com", "kafka.strimzi.io"]);

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const paths = expectInvalid ? args.slice(1) : args;
if (paths.length === 0) {
  console.error("usage: node validate.mjs [--expect-invalid] DIR|FILE...");
  process.exit(2);
}

function yamlFiles(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
      .sort()
      .map((f) => join(path, f));
  }
  return [path];
}

async function modelClass(apiVersion, kind) {
  // Core objects live under kubernetes-models/v1, the others under kubernetes-models/<group>/<version>.
  const module = await import(`kubernetes-models/${apiVersion}`).catch(() => undefined);
  return module?.[kind];
}

async function check(file, object) {
  const { apiVersion, kind } = object;
  const name = `${file}: ${kind ?? "?"} ${object.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return { name, error: "apiVersion and kind are required" };
  }
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  if (CUSTOM_GROUPS.has(group)) {
    return { name, skipped: true };
  }
  const Model = await modelClass(apiVersion, kind);
  if (!Model) {
    return { name, error: `no schema for ${apiVersion} ${kind}` };
  }
  try {
    new Model(object).validate();
    return { name };
  } catch (e) {
    return { name, error: e.message };
  }
}

const files = paths.flatMap(yamlFiles);
if (files.length === 0) {
  console.error(`no YAML files in ${paths.join(" ")}: render the chart first (mvn -pl helm test)`);
  process.exit(2);
}

let valid = 0, invalid = 0, skipped = 0;
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: YAML error ${doc.errors[0].message}`);
      invalid++;
      continue;
    }
    const object = doc.toJS();
    if (object == null) continue;
    const result = await check(file, object);
    if (result.skipped) {
      skipped++;
    } else if (result.error) {
      invalid++;
      console[expectInvalid ? "log" : "error"](`${expectInvalid ? "rejected as expected" : "INVALID"} ${result.name}: ${result.error}`);
    } else {
      valid++;
      if (expectInvalid) console.error(`ACCEPTED but expected invalid: ${result.name}`);
    }
  }
}
console.log(`${files.length} files: ${valid} valid, ${invalid} invalid, ${skipped} custom resources skipped`);
const ok = expectInvalid ? valid === 0 && invalid > 0 : invalid === 0 && valid > 0;
process.exit(ok ? 0 : 1);
