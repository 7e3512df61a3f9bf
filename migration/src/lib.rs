//! # pqshift-migration
//!
//! The signature corpus that pqshift's migration reads and writes, and a
//! deterministic generator of test corpora.
//!
//! A corpus is three files (format version 1, documented in full in
//! `golden/README.md`):
//!
//! - `NAME.jsonl`: one [`Record`](corpus::Record) per line — `id`,
//!   `algorithm`, `key_id`, `public_key` (tagged text; absent for a MAC),
//!   `message` (hex), `context` (hex), `signature` (tagged text);
//! - `NAME.manifest.json`: the [`Manifest`](corpus::Manifest) — format
//!   version, record count, algorithms, the RFC 6962 Merkle root over the
//!   record lines ([`pqshift::merkle`]), the corpus and keystore file names;
//! - `NAME.keystore.json`: the [`Keystore`](corpus::Keystore) — per key ID
//!   the tagged public key and the tagged secret key (seed form). Test keys.
//!
//! Reading and verifying stream the records: memory stays flat however
//! large the corpus.
//!
//! [`engine`] is `pqshift migrate`: it re-signs a corpus under a new
//! algorithm (new keys from [`keys`], key-rotation [`attest`]ations, a
//! [`report`], resumable through a [`checkpoint`]); every format it writes
//! is documented in `migration/README.md`.
//!
//! ```
//! use pqshift::AlgorithmId;
//! use pqshift_migration::{corpus, generate::{self, Params}};
//!
//! let dir = tempfile::tempdir()?;
//! let out = dir.path().join("demo.jsonl");
//! let params = Params::new(AlgorithmId::Ed25519, 20, 3, vec![7; 16], "demo");
//! let summary = generate::generate_files(&params, &out)?;
//! assert_eq!(summary.records, 20);
//!
//! let report = corpus::verify_corpus(&dir.path().join("demo.manifest.json"))?;
//! assert_eq!(report.valid, 20);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod attest;
pub mod checkpoint;
pub mod corpus;
pub mod engine;
pub mod generate;
pub mod keys;
pub mod outfile;
pub mod report;

pub use corpus::{CorpusError, KeyEntry, Keystore, Manifest, Previous, Record};
