//! The server's configuration file (`--config`, or `PORTA_SERVER_CONFIG`): TOML with the same
//! settings as the command line. A setting given on the command line or in its `PORTA_*`
//! variable wins over the file; the file wins over the defaults.
//!
//! ```toml
//! data_dir = "/srv/porta"
//! listen = "0.0.0.0:8650"
//! tls_cert = "/srv/porta/cert.pem"
//! tls_key = "/srv/porta/key.pem"
//! rate_burst = 300
//! rate_per_second = 30
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rate_limit::Limits;

/// What the file may set; every key is optional, an unknown key is an error.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub data_dir: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub rate_burst: Option<u32>,
    pub rate_per_second: Option<u32>,
    /// The file with the database's key (see `--database-key-file`).
    pub database_key_file: Option<PathBuf>,
}

impl ServerConfig {
    /// Reads `path`; the error names the file and says what is wrong in it.
    pub fn load(path: &Path) -> Result<ServerConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read the configuration file {}: {error}", path.display()))?;
        let config: ServerConfig = toml::from_str(&text)
            .map_err(|error| format!("the configuration file {} is not valid: {error}", path.display()))?;
        if config.rate_burst == Some(0) || config.rate_per_second == Some(0) {
            return Err(format!("{}: rate_burst and rate_per_second must be at least 1", path.display()));
        }
        Ok(config)
    }

    /// The per-device rate limits: the file's, or the defaults.
    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            burst: self.rate_burst.unwrap_or(default.burst),
            per_second: self.rate_per_second.unwrap_or(default.per_second),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_sets_what_it_names_and_refuses_what_it_does_not_know() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("server.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:8650\"\nrate_burst = 50\n").unwrap();
        let config = ServerConfig::load(&path).unwrap();
        assert_eq!(config.listen, Some("0.0.0.0:8650".parse().unwrap()));
        assert_eq!(config.limits(), Limits { burst: 50, per_second: Limits::default().per_second });
        std::fs::write(&path, "lisen = \"0.0.0.0:8650\"\n").unwrap();
        let error = ServerConfig::load(&path).unwrap_err();
        assert!(error.contains("server.toml") && error.contains("lisen"), "{error}");
        std::fs::write(&path, "rate_per_second = 0\n").unwrap();
        assert!(ServerConfig::load(&path).unwrap_err().contains("at least 1"));
    }
}
