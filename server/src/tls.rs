//! TLS from a certificate and key on disk (PEM), with rustls on ring. A municipal
//! self-signed certificate is fine: devices pin its fingerprint at enrollment
//! (`porta_wire::certificate`), so no certificate authority is involved.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum_server::tls_rustls::RustlsConfig;
use porta_wire::certificate::fingerprint;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Why the certificate or key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {reason}. Check the path given to --cert or --key")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    NoCertificate { path: PathBuf },
    #[error("{path} holds no PEM private key (-----BEGIN PRIVATE KEY-----)")]
    NoKey { path: PathBuf },
    #[error("the certificate and the key do not go together, or the key type is not supported: {0}")]
    Mismatch(String),
}

/// The server's certificate and key, ready to serve, and the certificate's fingerprint.
#[derive(Clone)]
pub struct TlsIdentity {
    pub(crate) config: RustlsConfig,
    /// SHA-256 of the leaf certificate, lower-case hex: what devices pin.
    pub fingerprint: String,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|error| TlsError::Unreadable { path: path.to_owned(), reason: error.to_string() })
}

fn read_chain(certificate: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&read(certificate)?)
        .collect::<Result<_, _>>()
        .map_err(|_| TlsError::NoCertificate { path: certificate.to_owned() })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate { path: certificate.to_owned() });
    }
    Ok(chain)
}

/// The fingerprint of the leaf certificate in a PEM file: what enrollment codes are issued for.
pub fn certificate_fingerprint(certificate: &Path) -> Result<String, TlsError> {
    Ok(fingerprint(&read_chain(certificate)?[0]))
}

impl TlsIdentity {
    /// Reads a PEM certificate chain (leaf first) and its PEM private key.
    pub fn from_pem_files(certificate: &Path, key: &Path) -> Result<TlsIdentity, TlsError> {
        let chain = read_chain(certificate)?;
        let fingerprint = fingerprint(&chain[0]);
        let key = PrivateKeyDer::from_pem_slice(&read(key)?).map_err(|_| TlsError::NoKey { path: key.to_owned() })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| TlsError::Mismatch(error.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|error| TlsError::Mismatch(error.to_string()))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsIdentity { config: RustlsConfig::from_config(Arc::new(config)), fingerprint })
    }
}
