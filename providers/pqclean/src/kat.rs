//! The embedded self-test vectors (`kat/*.kat`, copied from NIST ACVP by
//! `kat/extract.py`): `# comment` lines and `name = hex` lines.

use pqshift_provider_api::{Error, Result};

pub(crate) struct Kat<'a> {
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> Kat<'a> {
    pub(crate) fn parse(text: &'a str) -> Result<Self> {
        let mut fields = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').ok_or_else(|| {
                Error::Internal(format!("malformed self-test vector line {line:?}"))
            })?;
            fields.push((k.trim(), v.trim()));
        }
        Ok(Kat { fields })
    }

    pub(crate) fn get(&self, name: &str) -> Result<Vec<u8>> {
        let v = self
            .fields
            .iter()
            .find(|(k, _)| *k == name)
            .ok_or_else(|| Error::Internal(format!("self-test vector has no field {name:?}")))?;
        hex::decode(v.1).map_err(|e| Error::Internal(format!("self-test vector {name:?}: {e}")))
    }
}
