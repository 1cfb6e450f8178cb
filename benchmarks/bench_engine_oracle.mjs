// Companion of bench_engine.py: the same workload through @cloud-copilot/iam-simulate's
// runSimulation (installed by `make oracle` into .cache/oracle). Usage:
//   node bench_engine_oracle.mjs <oracle-dir> <workload.json>
// Prints one JSON line: {"decisions", "seconds" (wall), "cpuSeconds", "allowed", "errors"}.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [oracleDir, workloadPath] = process.argv.slice(2);
const require = createRequire(join(oracleDir, 'bench-entry.js'));
const { runSimulation } = require('@cloud-copilot/iam-simulate');
const workload = JSON.parse(readFileSync(workloadPath, 'utf8'));

let allowed = 0;
let errors = 0;
let firstError = null;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (const req of workload.requests) {
  const simulation = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: workload.account },
      contextVariables: req.context,
    },
    identityPolicies: workload.identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
    permissionBoundaryPolicies: [{ name: 'boundary', policy: workload.boundary }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    errors += 1;
    firstError = firstError ?? JSON.stringify(result.errors).slice(0, 300);
  }
  else if (result.overallResult === 'Allowed') allowed += 1;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({ decisions: workload.requests.length, seconds, cpuSeconds, allowed, errors, firstError }));
