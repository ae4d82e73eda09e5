//! TLS with libpq's sslmode semantics, against the test cluster with a
//! certificate from a throwaway CA (made with the openssl command).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use pgrecon::connect::Target;

use crate::support::*;

struct Pki {
    ca: PathBuf,
    other_ca: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("run openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA, a server certificate for `localhost` only (so 127.0.0.1 does not
/// match its name), and an unrelated CA; TLS switched on in the cluster.
fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let dir = cluster().dir().join("pki");
        std::fs::create_dir_all(&dir).unwrap();
        let days = ["-days", "2"];
        for ca in ["ca", "other_ca"] {
            let (key, crt) = (format!("{ca}.key"), format!("{ca}.crt"));
            let subj = format!("/CN=pgrecon test {ca}");
            openssl(
                &dir,
                &[
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &crt, "-subj",
                    &subj, days[0], days[1],
                ],
            );
        }
        openssl(
            &dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        );
        std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost\n").unwrap();
        openssl(
            &dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-extfile",
                "ext.cnf",
                days[0],
                days[1],
            ],
        );

        let c = cluster();
        let cert =
            c.write_private_file("server.crt", &std::fs::read(dir.join("server.crt")).unwrap()).unwrap();
        let key =
            c.write_private_file("server.key", &std::fs::read(dir.join("server.key")).unwrap()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let admin = client_for(&c.url("postgres")).await;
            // ALTER SYSTEM refuses multi-statement strings (implicit transaction).
            let lit = |p: &Path| pgrecon::quote::literal(p.to_str().unwrap());
            for set in [
                format!("ALTER SYSTEM SET ssl_cert_file = {}", lit(&cert)),
                format!("ALTER SYSTEM SET ssl_key_file = {}", lit(&key)),
                "ALTER SYSTEM SET ssl = on".to_string(),
            ] {
                admin.batch_execute(&set).await.unwrap();
            }
            admin.query("SELECT pg_reload_conf()", &[]).await.unwrap();
        });
        Pki { ca: dir.join("ca.crt"), other_ca: dir.join("other_ca.crt") }
    })
}

async fn connects_with_tls(host: &str, params: &str) -> Result<bool, String> {
    let url = format!("postgres://postgres@{host}:{}/postgres?{params}", cluster().port());
    let target = Target::parse(&url).map_err(|e| e.to_string())?;
    let client = target.connect().await.map_err(|e| e.to_string())?;
    let row = client
        .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
        .await
        .map_err(|e| e.to_string())?;
    Ok(row.get(0))
}

fn root(path: &Path) -> String {
    format!("sslrootcert={}", path.display())
}

#[tokio::test]
async fn sslmode_semantics() {
    let pki = tokio::task::spawn_blocking(pki).await.unwrap();
    assert_eq!(connects_with_tls("127.0.0.1", "sslmode=disable").await, Ok(false));
    assert_eq!(connects_with_tls("127.0.0.1", "sslmode=prefer").await, Ok(true));
    assert_eq!(connects_with_tls("127.0.0.1", "sslmode=require").await, Ok(true));

    // verify-full checks the chain and the name: localhost is in the certificate.
    let ca = root(&pki.ca);
    assert_eq!(connects_with_tls("localhost", &format!("sslmode=verify-full&{ca}")).await, Ok(true));
    // 127.0.0.1 is not: verify-full refuses, verify-ca (chain only) accepts.
    let refused = connects_with_tls("127.0.0.1", &format!("sslmode=verify-full&{ca}")).await.unwrap_err();
    assert!(refused.contains("cannot connect"), "{refused}");
    assert_eq!(connects_with_tls("127.0.0.1", &format!("sslmode=verify-ca&{ca}")).await, Ok(true));

    // A certificate from another CA is refused by every verifying mode,
    // including require with a root certificate (libpq: acts as verify-ca).
    let other = root(&pki.other_ca);
    for mode in ["verify-full", "verify-ca", "require"] {
        let result = connects_with_tls("localhost", &format!("sslmode={mode}&{other}")).await;
        assert!(result.is_err(), "{mode} with an unrelated CA connected");
    }
}
