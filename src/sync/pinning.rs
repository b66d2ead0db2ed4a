//! The server's TLS certificate, pinned at enrollment.
//!
//! An Ambito's server often has a self-signed certificate that no browser would trust. The
//! device does not consult certificate authorities at all: at enrollment it accepts the
//! certificate the server presents and keeps its SHA-256 fingerprint, after checking that the
//! server, in its answer, names the same fingerprint (an interceptor in between presents its
//! own certificate and is caught). From then on every connection must present exactly that
//! certificate. The administrator can also compare the fingerprint `porta-server serve`
//! prints with the one the Sync page shows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

pub use porta_wire::certificate::{display_fingerprint, fingerprint};

/// What the connections of one client accept, shared by the client and its TLS verifier.
#[derive(Debug, Default)]
pub struct CertificatePin {
    /// The fingerprint every connection must present; `None` while enrolling.
    expected: Mutex<Option<String>>,
    /// The fingerprint the last connection presented.
    seen: Mutex<Option<String>>,
    /// Whether a connection was refused because its certificate was not the pinned one.
    mismatch: AtomicBool,
}

impl CertificatePin {
    /// From now on, accept only `fingerprint` (or, with `None`, any certificate: enrollment).
    pub fn expect(&self, fingerprint: Option<String>) {
        *self.expected.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = fingerprint;
        self.mismatch.store(false, Ordering::SeqCst);
    }

    /// The fingerprint the last TLS connection presented.
    pub fn seen(&self) -> Option<String> {
        self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Whether a connection was refused for presenting another certificate.
    pub fn mismatched(&self) -> bool {
        self.mismatch.load(Ordering::SeqCst)
    }
}

/// The rustls verifier that enforces a [`CertificatePin`] (handshake signatures are still
/// checked with ring's algorithms).
#[derive(Debug)]
struct PinnedVerifier {
    pin: Arc<CertificatePin>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let presented = fingerprint(end_entity);
        *self.pin.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(presented.clone());
        let expected = self.pin.expected.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        match expected {
            Some(expected) if expected != presented => {
                self.pin.mismatch.store(true, Ordering::SeqCst);
                Err(rustls::Error::General("the server's certificate is not the one pinned at enrollment".into()))
            }
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS client configuration that trusts only what `pin` says.
pub fn client_config(pin: Arc<CertificatePin>) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedVerifier { pin, provider }))
        .with_no_client_auth()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_hex_and_shown_in_colon_pairs() {
        let print = fingerprint(b"certificate");
        assert_eq!(print.len(), 64);
        assert!(display_fingerprint(&print).starts_with(&format!("{}:", &print[..2].to_uppercase())));
        assert_eq!(display_fingerprint("ab01ff"), "AB:01:FF");
    }
}
