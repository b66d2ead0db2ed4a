// The replication workload of `porta-bench`, run on the peers: PERSONS persons of the same
// nine fields, written on one replica and replicated to an empty one, in memory.
// Prints one JSON line: {"persons", "pouchdb_s", "automerge_s", "automerge_field_edits"}.
import * as Automerge from "@automerge/automerge";
import PouchDB from "pouchdb-core";
import memory from "pouchdb-adapter-memory";
import replication from "pouchdb-replication";

PouchDB.plugin(memory).plugin(replication);

const persons = Number(process.argv[2] ?? 100000);

function person(n) {
  return {
    family_name: `Diallo ${n}`,
    given_names: "Aminata",
    sex: n % 2 === 0 ? "female" : "male",
    birth_date: { year: 1970 + (n % 40), month: 1 + (n % 12), day: 1 + (n % 28), estimated: false },
    birth_country: "Z343",
    citizenships: ["Z343"],
    languages: ["fr", "wo"],
    phone: `+39 333 ${String(n).padStart(7, "0")}`,
    stateless: false,
  };
}

async function pouchdb() {
  const source = new PouchDB(`source-${Date.now()}`, { adapter: "memory" });
  const target = new PouchDB(`target-${Date.now()}`, { adapter: "memory" });
  for (let start = 0; start < persons; start += 5000) {
    const docs = [];
    for (let n = start; n < Math.min(persons, start + 5000); n++) {
      docs.push({ _id: `person-${String(n).padStart(7, "0")}`, ...person(n) });
    }
    await source.bulkDocs(docs);
  }
  const started = performance.now();
  const result = await source.replicate.to(target, { batch_size: 1000 });
  const seconds = (performance.now() - started) / 1000;
  const info = await target.info();
  if (info.doc_count !== persons || result.docs_written !== persons) {
    throw new Error(`PouchDB replicated ${info.doc_count} of ${persons}`);
  }
  return seconds;
}

function automerge() {
  // The source writes the persons a thousand at a time (one change each: writing them one
  // change per person takes minutes per 10,000); the empty replica applies every change.
  let source = Automerge.change(Automerge.init(), (doc) => {
    doc.persons = {};
  });
  for (let start = 0; start < persons; start += 1000) {
    source = Automerge.change(source, (doc) => {
      for (let n = start; n < Math.min(persons, start + 1000); n++) {
        doc.persons[`person-${n}`] = person(n);
      }
    });
  }
  const changes = Automerge.getAllChanges(source);
  const started = performance.now();
  const [target] = Automerge.applyChanges(Automerge.init(), changes);
  const seconds = (performance.now() - started) / 1000;
  const count = Object.keys(target.persons).length;
  if (count !== persons) {
    throw new Error(`Automerge replicated ${count} of ${persons}`);
  }
  return seconds;
}

const pouchdb_s = await pouchdb();
const automerge_s = automerge();
console.log(JSON.stringify({ persons, pouchdb_s, automerge_s, automerge_field_edits: persons * 9 }));
