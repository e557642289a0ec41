//! The Node side of Spector: pinned packages installed with npm, TypeSpec compiled to Swagger,
//! and the mock server, started on a free loopback port and always stopped.

use super::Result;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The packages and versions the scenarios are known to compile and serve with.
const PACKAGES: &[&str] = &[
    "@azure-tools/azure-http-specs@0.1.0-alpha.38-dev.2",
    "@typespec/spector@0.1.0-alpha.24-dev.2",
    "@typespec/compiler@~1.9.0",
    "@typespec/http@~1.9.0",
    "@typespec/openapi@~1.9.0",
    "@typespec/rest@~0.79.0",
    "@typespec/versioning@~0.79.0",
    "@typespec/xml@~0.79.0",
    "@typespec/streams@~0.79.0",
    "@azure-tools/typespec-autorest@~0.65.0",
    "@azure-tools/typespec-azure-core@~0.65.0",
    "@azure-tools/typespec-azure-resource-manager@~0.65.0",
    "@azure-tools/typespec-client-generator-core@~0.65.0",
];

const SPECS: &str = "node_modules/@azure-tools/azure-http-specs/specs";

/// Installs [`PACKAGES`] into `dir` unless the same list is already there.
pub fn install(dir: &Path) -> Result<()> {
    let stamp = dir.join("installed.txt");
    let wanted = PACKAGES.join("\n");
    if std::fs::read_to_string(&stamp).is_ok_and(|have| have == wanted) {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("package.json"), "{ \"name\": \"spector-run\", \"private\": true }\n")?;
    eprintln!("spector: npm install ({} packages) into {}", PACKAGES.len(), dir.display());
    let status = Command::new("npm")
        .current_dir(dir)
        .args(["install", "--legacy-peer-deps", "--no-audit", "--no-fund", "--loglevel=error"])
        .args(PACKAGES)
        .status()?;
    if !status.success() {
        return Err(format!("npm install failed ({status})").into());
    }
    std::fs::write(stamp, wanted)?;
    Ok(())
}

/// Compiles one scenario folder (`main.tsp`, else `client.tsp`) to Swagger 2.0 under `out`.
pub fn compile(node: &Path, folder: &str, out: &Path, common_types: &Path) -> Result<()> {
    let scenario = node.join(SPECS).join("azure/resource-manager").join(folder);
    let main = ["main.tsp", "client.tsp"].iter().map(|f| scenario.join(f)).find(|p| p.exists());
    let main = main.ok_or_else(|| format!("{}: neither main.tsp nor client.tsp", scenario.display()))?;
    let _ = std::fs::remove_dir_all(out);
    let output = Command::new(node.join("node_modules/.bin/tsp"))
        .current_dir(node)
        .arg("compile")
        .arg(&main)
        .args(["--emit", "@azure-tools/typespec-autorest"])
        .arg("--option")
        .arg(format!("@azure-tools/typespec-autorest.emitter-output-dir={}", out.display()))
        .arg("--option")
        .arg(format!("@azure-tools/typespec-autorest.arm-types-dir={}", common_types.display()))
        .output()?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stdout);
        return Err(format!("tsp compile {} failed:\n{said}", main.display()).into());
    }
    eprintln!("spector: compiled {folder}");
    Ok(())
}

/// The running mock server; stopped when dropped.
pub struct Server {
    child: Option<Child>,
    pub endpoint: String,
    coverage: PathBuf,
}

impl Server {
    /// Starts `tsp-spector serve` on a free port; `git_dir` is a git checkout (the server reads
    /// `git rev-parse HEAD`). Waits until the port answers.
    pub fn start(node: &Path, git_dir: &Path, coverage: &Path) -> Result<Server> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port();
        let _ = std::fs::remove_file(coverage);
        let child = Command::new(node.join("node_modules/.bin/tsp-spector"))
            .current_dir(git_dir)
            .arg("serve")
            .arg(node.join(SPECS))
            .args(["--port", &port.to_string()])
            .arg("--coverageFile")
            .arg(coverage)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()?;
        let server =
            Server { child: Some(child), endpoint: format!("http://127.0.0.1:{port}"), coverage: coverage.into() };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if started.elapsed() > Duration::from_secs(90) {
                return Err("the Spector server did not start within 90 s".into());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Ok(server)
    }

    /// Stops the server (it writes its coverage file on the way out) and returns that file.
    pub fn stop(mut self) -> Result<PathBuf> {
        self.terminate();
        let started = Instant::now();
        while !self.coverage.exists() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(self.coverage.clone())
    }

    /// SIGTERM, so Node writes the coverage file, then waits for it to exit.
    fn terminate(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        if let Ok(pid) = libc::pid_t::try_from(child.id()) {
            // SAFETY: `pid` is our own child, not yet waited for.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate();
    }
}
