// Differential-test harness for @cloud-copilot/iam-simulate (never shipped, tests only).
// Usage: node tests/oracle/run.mjs <node_modules dir>  < cases.json  > decisions.json
// Reads a JSON array of iamfence request-file cases (issue 3 item 7) and writes a JSON array of
// {"id", "decision"} (Allow | ExplicitDeny | ImplicitDeny) or {"id", "error"} in the same order.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const modules = process.argv[2] || join(process.cwd(), '.cache/oracle/node_modules')
const require = createRequire(join(modules, 'noop.js'))
const { runSimulation, anonymousPrincipal } = require('@cloud-copilot/iam-simulate')

const DECISIONS = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' }

function wire(value) {
  if (Array.isArray(value)) return value.map((v) => String(v))
  return String(value)
}

function accountOf(arn) {
  const parts = String(arn).split(':')
  return parts.length >= 6 && parts[4] ? parts[4] : undefined
}

function orgLevels(levels, kind) {
  return (levels || []).map((level, i) => ({
    orgIdentifier: `${kind}-level-${i}`,
    policies: level.map((policy, j) => ({ name: `${kind}[${i}][${j}]`, policy })),
  }))
}

function statementsOf(doc) {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
}

function isFullAccess(st) {
  return st.Effect === 'Allow' && st.Action === '*' && st.Resource === '*' && st.Principal === '*' && !st.Condition
}

// iam-simulate adds RCPFullAWSAccess at every level itself and accepts only Deny statements in
// RCPs: drop the full-access allows; a level without one (or with other allows) is unsupported.
function rcpLevels(levels) {
  return (levels || []).map((level, i) => {
    const all = level.flatMap(statementsOf)
    if (!all.some(isFullAccess) || all.some((st) => st.Effect === 'Allow' && !isFullAccess(st))) {
      throw new Error(`unsupported: RCP level ${i} is not RCPFullAWSAccess plus denies`)
    }
    return level
      .map((doc) => ({ ...doc, Statement: statementsOf(doc).filter((st) => st.Effect !== 'Allow') }))
      .filter((doc) => doc.Statement.length > 0)
  })
}

function toSimulation(c) {
  const req = c.request
  const pol = c.policies || {}
  const anonymous = req.principal === 'anonymous' || req.principal === '*'
  const context = {}
  for (const [k, v] of Object.entries(req.context || {})) context[k] = wire(v)
  const sim = {
    request: {
      principal: anonymous ? anonymousPrincipal : req.principal,
      action: req.action,
      resource: {
        resource: req.resource,
        accountId: pol.resource_account || accountOf(req.resource) || accountOf(req.principal),
      },
      contextVariables: context,
    },
    identityPolicies: (pol.identity || []).map((policy, i) => ({ name: `identity[${i}]`, policy })),
    serviceControlPolicies: orgLevels(pol.scp, 'scp'),
    resourceControlPolicies: orgLevels(rcpLevels(pol.rcp), 'rcp'),
  }
  if (pol.resource) sim.resourcePolicy = pol.resource
  if (pol.permissions_boundary) {
    sim.permissionBoundaryPolicies = [{ name: 'permissions_boundary', policy: pol.permissions_boundary }]
  }
  const session = pol.session || []
  if (session.length) {
    // Several session policies act as one: any allow counts, any deny denies.
    const statements = session.flatMap((d) => (Array.isArray(d.Statement) ? d.Statement : [d.Statement]))
    sim.sessionPolicy = { Version: '2012-10-17', Statement: statements }
  }
  return sim
}

async function decide(c) {
  try {
    const simulation = toSimulation(c)
    const result = await runSimulation(simulation, { simulationMode: 'Strict' })
    if (result.resultType === "error") return { id: c.id, error: (result.errors.message || "error") + " " + JSON.stringify(result.errors).slice(0, 400) }
    return { id: c.id, decision: DECISIONS[result.overallResult] || String(result.overallResult) }
  } catch (err) {
    return { id: c.id, error: String(err && err.message ? err.message : err) }
  }
}

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const out = []
for (const c of cases) out.push(await decide(c))
process.stdout.write(JSON.stringify(out))
