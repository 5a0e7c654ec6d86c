//! Smart HTTP: nginx hands git's requests to `git http-backend` through
//! fcgiwrap, the way many small servers are set up; the hook runs inside
//! `git receive-pack` under the web server, with only the variables the
//! FastCGI configuration passes (no `PATH`, no `HOME`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Daemon, INVALID, INVALID_SEEN, VALID, free_port, is_root, require};
use crate::gitworld::{Client, World, install, ref_of};

/// nginx and fcgiwrap serving the bare repositories under `root` at
/// `http://127.0.0.1:<port>/`; both stop when this is dropped.
struct HttpServer {
    url: String,
    // Dropped in this order: nginx first, then the FastCGI side.
    nginx: Daemon,
    _fcgiwrap: Daemon,
}

impl HttpServer {
    fn start(world: &World, root: &Path) -> HttpServer {
        let nginx = require("nginx", "nginx");
        let fcgiwrap = require("fcgiwrap", "fcgiwrap");
        let backend = http_backend(world);
        let dir = world.path("http");
        fs::create_dir_all(dir.join("temp")).expect("mkdir");

        let socket = dir.join("fcgiwrap.sock");
        let mut command = Command::new(fcgiwrap);
        command.args(["-c", "2", "-s", &format!("unix:{}", socket.display())]);
        let mut fcgi = Daemon::start("fcgiwrap", command, &dir.join("fcgiwrap.log"));
        fcgi.wait_for_file(&socket);

        let port = free_port();
        let config = nginx_config(&dir, &socket, &backend, root, port);
        fs::write(dir.join("nginx.conf"), config).expect("nginx.conf");
        let mut command = Command::new(nginx);
        command.arg("-p").arg(&dir).arg("-c").arg(dir.join("nginx.conf"));
        command.arg("-e").arg(dir.join("error.log"));
        let mut web = Daemon::start("nginx", command, &dir.join("nginx.log"));
        web.wait_for(&format!("127.0.0.1:{port}"));
        HttpServer { url: format!("http://127.0.0.1:{port}"), nginx: web, _fcgiwrap: fcgi }
    }
}

/// Where this git keeps `git-http-backend`.
fn http_backend(world: &World) -> PathBuf {
    let exec_path = world.git(&world.path("home"), &["--exec-path"]);
    let backend = Path::new(&exec_path).join("git-http-backend");
    assert!(backend.is_file(), "no git-http-backend in {exec_path}");
    backend
}

fn nginx_config(dir: &Path, socket: &Path, backend: &Path, root: &Path, port: u16) -> String {
    // As root, nginx's workers would switch to `nobody`, who may not open
    // fcgiwrap's socket; they stay root here, like the socket's owner.
    let user = if is_root() { "user root;" } else { "" };
    format!(
        r#"
{user}
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/temp/body;
    fastcgi_temp_path {dir}/temp/fastcgi;
    proxy_temp_path {dir}/temp/proxy;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            client_max_body_size 0;
            fastcgi_pass unix:{socket};
            fastcgi_param SCRIPT_FILENAME {backend};
            fastcgi_param GIT_PROJECT_ROOT {root};
            fastcgi_param GIT_HTTP_EXPORT_ALL "";
            fastcgi_param PATH_INFO $uri;
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
        }}
    }}
}}
"#,
        dir = dir.display(),
        socket = socket.display(),
        backend = backend.display(),
        root = root.display(),
    )
}

#[test]
#[ignore = "starts nginx and fcgiwrap; run with `cargo test --test main e2e:: -- --include-ignored`"]
fn http_pushes_through_nginx_and_git_http_backend_are_gated() {
    let world = World::new();
    let root = world.path("srv");
    let repo = world.bare("srv/model.git", &[]);
    world.git(&repo, &["config", "http.receivepack", "true"]);
    world.git(&repo, &["config", "receive.advertisePushOptions", "true"]);
    install(&repo, &[]);
    let server = HttpServer::start(&world, &root);

    let url = format!("{}/model.git", server.url);
    world.git(&world.path("home"), &["clone", "--quiet", &url, "../client"]);
    let client = Client { world: &world, dir: world.path("client") };

    let good = client.commit(&[(".eval_results/hle.yaml", VALID)], "good");
    let push = client.push(&["origin", "main"]);
    push.assert_accepted();
    assert_eq!(push.remote(), "evalgate: 1 file checked in 1 ref, no problems\n");

    client.commit(&[(".eval_results/hle.yaml", INVALID)], "bad");
    let push = client.push(&["origin", "main"]);
    push.assert_rejected();
    assert_eq!(
        push.remote(),
        format!(
            "evalgate: rejected: problems in `refs/heads/main`\n\n{INVALID_SEEN}\n\
             evalgate: 1 error in 1 file, 1 ref checked; the push was rejected, nothing changed\n"
        )
    );
    assert!(push.stderr.contains("! [remote rejected] main -> main (pre-receive hook declined)"));
    assert_eq!(ref_of(&world, &repo, "refs/heads/main"), Some(good));

    // Push options travel over HTTP when the repository advertises them.
    client.git(&["reset", "--quiet", "--hard", "HEAD~1"]);
    client.commit(&[("README.md", "hello\n"), (".eval_results/more.yaml", VALID)], "more");
    client.push(&["-o", "evalgate.verbose", "origin", "main"]).assert_accepted().shows(
        "evalgate: checked file `.eval_results/more.yaml` (no problems) in `refs/heads/main`",
    );
    let log = server.nginx.log();
    assert!(!log.contains("[emerg]"), "{log}");
}
