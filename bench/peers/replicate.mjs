// The replication workload of `porta-bench`, run on PouchDB: PERSONS persons of the same
// nine fields, written on one database and replicated to an empty one, in memory.
// Prints one JSON line: {"persons", "pouchdb_s"}. (The Automerge peer is native Rust, in
// `bench/src/automerge_peer.rs`.)
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

const pouchdb_s = await pouchdb();
console.log(JSON.stringify({ persons, pouchdb_s }));
