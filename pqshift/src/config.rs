//! The TOML configuration and where it came from.
//!
//! Found by an explicit path (`--config`), then the `PQSHIFT_CONFIG`
//! environment variable, then the built-in default (Ed25519 through the
//! preferred provider). Loading fails closed: an unknown key, an unknown
//! algorithm, an algorithm no linked provider serves, a provider that failed
//! its self-test, or the insecure placeholder without `allow_insecure = true`
//! is an error that names the file and the key.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Error, Result};

/// Environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "PQSHIFT_CONFIG";

/// The built-in default configuration.
pub const DEFAULT_CONFIG: &str = r#"# pqshift built-in default
[sign]
algorithm = "ed25519"

[verify]
accept = ["ed25519"]

[policy]
allow_insecure = false
self_test = "on-load"
"#;

/// Where the active configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// A path given explicitly (`--config`, `load_config(path)`).
    Explicit(PathBuf),
    /// The path in `PQSHIFT_CONFIG`.
    Env(PathBuf),
    /// The built-in default.
    Default,
    /// A string handed to [`crate::Policy::from_toml_str`].
    Inline,
}

impl ConfigSource {
    /// Finds the configuration: `explicit`, then `PQSHIFT_CONFIG`, then the default.
    pub fn locate(explicit: Option<&Path>) -> ConfigSource {
        if let Some(p) = explicit {
            return ConfigSource::Explicit(p.to_path_buf());
        }
        match std::env::var_os(CONFIG_ENV) {
            Some(p) if !p.is_empty() => ConfigSource::Env(PathBuf::from(p)),
            _ => ConfigSource::Default,
        }
    }

    /// The file, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigSource::Explicit(p) | ConfigSource::Env(p) => Some(p),
            ConfigSource::Default | ConfigSource::Inline => None,
        }
    }

    /// A short label for messages: the file path, or `built-in default`.
    pub fn label(&self) -> String {
        match self {
            ConfigSource::Explicit(p) => p.display().to_string(),
            ConfigSource::Env(p) => p.display().to_string(),
            ConfigSource::Default => "built-in default configuration".into(),
            ConfigSource::Inline => "inline configuration".into(),
        }
    }

    /// Reads the TOML text.
    pub(crate) fn read(&self) -> Result<String> {
        match self.path() {
            Some(p) => {
                let from = if matches!(self, ConfigSource::Env(_)) {
                    format!(" (from {CONFIG_ENV})")
                } else {
                    String::new()
                };
                // A regular file only (a FIFO would block forever), at most
                // MAX_CONFIG_FILE bytes, counted while reading.
                let bytes = crate::input::read_regular_capped(
                    p,
                    crate::input::MAX_CONFIG_FILE,
                    "configuration file",
                )
                .map_err(|e| match e {
                    Error::InvalidInput(m) => Error::invalid(format!("{m}{from}")),
                    other => other,
                })?;
                String::from_utf8(bytes).map_err(|_| {
                    Error::invalid(format!(
                        "cannot read configuration file {}{from}: not UTF-8 text",
                        p.display()
                    ))
                })
            }
            None => Ok(DEFAULT_CONFIG.to_string()),
        }
    }
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSource::Explicit(p) => write!(f, "{} (--config)", p.display()),
            ConfigSource::Env(p) => write!(f, "{} ({CONFIG_ENV})", p.display()),
            ConfigSource::Default => f.write_str("built-in default"),
            ConfigSource::Inline => f.write_str("inline"),
        }
    }
}

/// When known-answer self-tests run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelfTest {
    /// At configuration load, for every provider the configuration uses.
    #[default]
    OnLoad,
    /// Just before a provider serves its first call. (Self-tests cannot be switched off.)
    OnFirstUse,
}

/// The configuration file, as written. Unknown keys are refused.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `[sign]`: what new signatures use.
    pub sign: SignSection,
    /// `[verify]`: what verification accepts.
    #[serde(default)]
    pub verify: VerifySection,
    /// `[kem]`: the key-encapsulation mechanism, when one is used.
    #[serde(default)]
    pub kem: Option<KemSection>,
    /// `[policy]`.
    #[serde(default)]
    pub policy: PolicySection,
    /// `[shadow]`: re-check every operation with a second provider.
    #[serde(default)]
    pub shadow: Option<ShadowSection>,
}

/// `[sign]`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignSection {
    /// Algorithm ID or alias.
    pub algorithm: String,
    /// Provider ID; else the preferred provider.
    #[serde(default)]
    pub provider: Option<String>,
}

/// `[verify]`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySection {
    /// Algorithms whose signatures are accepted. Default: the signing algorithm.
    #[serde(default)]
    pub accept: Option<Vec<String>>,
    /// Provider that verifies every accepted algorithm; else the preferred
    /// provider of each. It must serve all of them.
    #[serde(default)]
    pub provider: Option<String>,
    /// `[verify.providers]`: the provider for one accepted algorithm
    /// (`ml-dsa-65 = "pqclean"`), overriding `provider`.
    #[serde(default)]
    pub providers: std::collections::BTreeMap<String, String>,
}

/// `[kem]`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct KemSection {
    /// Algorithm ID or alias.
    pub algorithm: String,
    /// Provider ID; else the preferred provider.
    #[serde(default)]
    pub provider: Option<String>,
}

/// `[policy]`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySection {
    /// Must be true for the insecure placeholder to be used at all.
    #[serde(default)]
    pub allow_insecure: bool,
    /// When self-tests run.
    #[serde(default)]
    pub self_test: SelfTest,
}

/// `[shadow]`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShadowSection {
    /// The second provider that re-checks every signature.
    pub provider: String,
}

impl ConfigFile {
    /// Parses TOML; errors name the source and the offending key.
    pub fn parse(text: &str, source: &ConfigSource) -> Result<Self> {
        toml::from_str(text).map_err(|e| {
            // toml's Display quotes the whole offending line, which may be
            // megabytes long: name the line and column and quote a bounded
            // excerpt instead.
            let message = crate::input::excerpt(e.message().trim_end(), 200);
            let Some(span) = e.span() else {
                return Error::invalid(format!(
                    "configuration {}: TOML parse error: {message}",
                    source.label()
                ));
            };
            let start = span.start.min(text.len());
            let before = text.get(..start).unwrap_or_default();
            let line_no = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = text
                .get(line_start..start)
                .map_or(1, |s| s.chars().count() + 1);
            // Up to 40 characters before the error and 40 from it.
            let lead: String = {
                let b: Vec<char> = text.get(line_start..start).unwrap_or_default().chars().collect();
                b[b.len().saturating_sub(40)..].iter().collect()
            };
            let rest = text.get(start..).unwrap_or_default();
            let rest = rest.split('\n').next().unwrap_or_default();
            let tail: String = rest.chars().take(40).collect();
            let cut = if lead.chars().count() < column - 1 { "..." } else { "" };
            let more = if tail.len() < rest.len() { "..." } else { "" };
            Error::invalid(format!(
                "configuration {}: TOML parse error at line {line_no}, column {column}: {message}\n  | {cut}{lead}{tail}{more}",
                source.label()
            ))
        })
    }
}
