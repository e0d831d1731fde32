//! The files a host needs besides the site: the security headers (a `_headers` file written by
//! every build, and snippets for nginx, Apache and Caddy written by `deploy-config`), and the
//! files for a daily rebuild (a CI workflow, a systemd service and timer, and the script both
//! run). All are derived from `site.toml`, so the headers always match the site's settings.

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::Problem;

/// The Content-Security-Policy the pages also carry in a `<meta>` tag, plus what only a header
/// can say (`frame-ancestors`): nothing from other sites, no inline script or style.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The headers every response of the site should carry, in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityHeaders {
    /// Header name and value, in the order they are sent.
    pub headers: Vec<(&'static str, String)>,
    /// The onion mirror's address; hosts that can add the request path do so.
    pub onion_location: Option<String>,
}

impl SecurityHeaders {
    /// The headers for the site described by `config`.
    pub fn from_config(config: &SiteConfig) -> Self {
        let mut headers = vec![
            ("Content-Security-Policy", CSP.to_owned()),
            ("Referrer-Policy", "no-referrer".to_owned()),
            (
                "Permissions-Policy",
                "camera=(), microphone=(), geolocation=(), payment=(), usb=()".to_owned(),
            ),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ];
        // HSTS over plain HTTP is ignored by browsers and would only mislead the reader.
        let max_age = config.deploy.hsts_max_age;
        if config.base_url().starts_with("https://") && max_age > 0 {
            headers.push((
                "Strict-Transport-Security",
                format!("max-age={max_age}; includeSubDomains"),
            ));
        }
        let onion_location = config
            .safety
            .onion_location
            .as_ref()
            .map(|u| u.to_string().trim_end_matches('/').to_owned());
        SecurityHeaders {
            headers,
            onion_location,
        }
    }

    /// Every header with its value as static hosts serve it (the onion root, without the path).
    pub fn all(&self) -> Vec<(&'static str, String)> {
        let mut all = self.headers.clone();
        if let Some(onion) = &self.onion_location {
            all.push(("Onion-Location", format!("{onion}/")));
        }
        all
    }
}

/// The `_headers` file of Netlify, Cloudflare Pages and similar hosts.
pub fn headers_file(headers: &SecurityHeaders) -> String {
    let mut out = String::from(
        "# Security headers for every page, written by reprisals-site from site.toml.\n/*\n",
    );
    for (name, value) in headers.all() {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

fn nginx(headers: &SecurityHeaders) -> String {
    let mut out = String::from(
        "# nginx: include this file inside the site's `server { ... }` block, for example\n\
         #   include /srv/reprisals-site/deploy/nginx-headers.conf;\n\
         # Written by `reprisals-site deploy-config` from site.toml; run it again after changing site.toml.\n",
    );
    for (name, value) in &headers.headers {
        out.push_str(&format!("add_header {name} \"{value}\" always;\n"));
    }
    if let Some(onion) = &headers.onion_location {
        out.push_str(&format!(
            "add_header Onion-Location \"{onion}$request_uri\" always;\n"
        ));
    }
    out
}

fn apache(headers: &SecurityHeaders) -> String {
    let mut out = String::from(
        "# Apache (mod_headers): put this in the site's <VirtualHost> or in public/.htaccess.\n\
         # Written by `reprisals-site deploy-config` from site.toml; run it again after changing site.toml.\n\
         <IfModule mod_headers.c>\n",
    );
    for (name, value) in &headers.headers {
        out.push_str(&format!("  Header always set {name} \"{value}\"\n"));
    }
    if let Some(onion) = &headers.onion_location {
        out.push_str(&format!(
            "  Header always set Onion-Location \"expr={onion}%{{REQUEST_URI}}\"\n"
        ));
    }
    out.push_str("</IfModule>\n");
    out
}

fn caddy(headers: &SecurityHeaders, host: &str) -> String {
    let mut out = format!(
        "# Caddy: a complete Caddyfile serving the built site. Adjust `root` to the output folder.\n\
         # Written by `reprisals-site deploy-config` from site.toml; run it again after changing site.toml.\n\
         {host} {{\n\troot * /srv/reprisals-site/public\n\tfile_server\n\tencode gzip\n\theader {{\n"
    );
    for (name, value) in &headers.headers {
        out.push_str(&format!("\t\t{name} \"{value}\"\n"));
    }
    if let Some(onion) = &headers.onion_location {
        out.push_str(&format!("\t\tOnion-Location \"{onion}{{uri}}\"\n"));
    }
    out.push_str("\t}\n\thandle_errors {\n\t\trewrite * /404.html\n\t\tfile_server\n\t}\n}\n");
    out
}

/// `reprisals.example.org` from `https://reprisals.example.org/path/`.
fn host_of(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// Writes the header snippets and the scheduled-rebuild files into `dir`; returns their paths.
pub fn write_config(config: &SiteConfig, dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    let headers = SecurityHeaders::from_config(config);
    let files = [
        ("nginx-headers.conf", nginx(&headers)),
        ("apache-headers.conf", apache(&headers)),
        ("Caddyfile", caddy(&headers, host_of(&config.base_url()))),
        ("_headers", headers_file(&headers)),
        ("rebuild.sh", REBUILD_SH.to_owned()),
        ("reprisals-site-rebuild.service", SYSTEMD_SERVICE.to_owned()),
        ("reprisals-site-rebuild.timer", SYSTEMD_TIMER.to_owned()),
        ("github-daily-rebuild.yml", GITHUB_WORKFLOW.to_owned()),
    ];
    std::fs::create_dir_all(dir)
        .map_err(|e| Problem::error(format!("cannot create {}: {e}", dir.display())))?;
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| Problem::error(format!("cannot write {}: {e}", path.display())))?;
        #[cfg(unix)]
        if name.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
        }
        written.push(path);
    }
    Ok(written)
}

/// The one script both the systemd service and the CI workflow run. Exit codes are the
/// README's: 0 built, 5 built with some records withheld (deploy, and tell someone), anything
/// else: nothing was built, the site online stays as it was, and someone must be told.
const REBUILD_SH: &str = r#"#!/bin/sh
# Daily rebuild: build the site, deploy it on success, alert on failure.
# Written by `reprisals-site deploy-config`. Settings, from the environment:
#   SITE_DIR        the site folder (default: the folder above this script)
#   DEPLOY_COMMAND  how to publish public/, e.g. "rsync -a --delete public/ web:/var/www/reprisals/"
#                   (default: none; the site is served from public/ directly)
#   ALERT_COMMAND   how to tell someone; it receives the message on standard input,
#                   e.g. "mail -s 'reprisals-site rebuild' webmaster@example.org"
#                   (default: write to the system log with logger)
set -u
SITE_DIR="${SITE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$SITE_DIR" || exit 1
alert() {
  if [ -n "${ALERT_COMMAND:-}" ]; then
    printf '%s\n' "$1" | sh -c "$ALERT_COMMAND"
  else
    logger -t reprisals-site "$1" 2>/dev/null || printf '%s\n' "$1" >&2
  fi
}
if [ -d .git ]; then
  git pull --ff-only --quiet || { alert "reprisals-site: git pull failed in $SITE_DIR; building what is there"; }
fi
log="$(mktemp)"
reprisals-site build >"$log" 2>&1
code=$?
cat "$log"
case "$code" in
  0|5)
    if [ -n "${DEPLOY_COMMAND:-}" ]; then
      if ! sh -c "$DEPLOY_COMMAND"; then
        alert "reprisals-site: the site was built but deploying it failed ($DEPLOY_COMMAND)"
        rm -f "$log"; exit 1
      fi
    fi
    if [ "$code" -eq 5 ]; then
      alert "reprisals-site: built and deployed, but some records were withheld because of errors:
$(cat "$log")"
    fi
    rm -f "$log"; exit 0 ;;
  *)
    alert "reprisals-site: the daily build failed (exit code $code); the site online was not changed:
$(cat "$log")"
    rm -f "$log"; exit "$code" ;;
esac
"#;

const SYSTEMD_SERVICE: &str = r#"# Copy to /etc/systemd/system/ with the .timer, adjust the paths and user, then:
#   systemctl daemon-reload && systemctl enable --now reprisals-site-rebuild.timer
# Check the last run with: systemctl status reprisals-site-rebuild; journalctl -u reprisals-site-rebuild
[Unit]
Description=Rebuild and deploy the reprisals site
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
User=reprisals
WorkingDirectory=/srv/reprisals-site
Environment=SITE_DIR=/srv/reprisals-site
Environment=PATH=/home/reprisals/.cargo/bin:/usr/local/bin:/usr/bin:/bin
# Environment="DEPLOY_COMMAND=rsync -a --delete public/ /var/www/reprisals/"
# Environment="ALERT_COMMAND=mail -s 'reprisals-site rebuild' webmaster@example.org"
ExecStart=/srv/reprisals-site/deploy/rebuild.sh
"#;

const SYSTEMD_TIMER: &str = r#"# Runs reprisals-site-rebuild.service every day shortly after midnight UTC, so letters and
# focal-point terms that change on a date are on the site that day; a missed run (machine off)
# runs at the next boot.
[Unit]
Description=Daily rebuild of the reprisals site

[Timer]
OnCalendar=*-*-* 00:10:00 UTC
RandomizedDelaySec=300
Persistent=true

[Install]
WantedBy=timers.target
"#;

const GITHUB_WORKFLOW: &str = r#"# GitHub Actions: copy to .github/workflows/daily-rebuild.yml in the site's repository.
# Builds every day and on every push to main; deploys on exit code 0 or 5; a failed build
# leaves the site online unchanged, fails the run (GitHub e-mails the repository's admins)
# and, if the ALERT_WEBHOOK secret is set, posts the log there.
# Repository settings needed: the variable REPRISALS_SITE_GIT (where the tool's source is) and,
# for the rsync deploy below, the secrets DEPLOY_SSH_KEY and DEPLOY_TARGET (user@host:/path/).
name: Daily rebuild
on:
  schedule:
    - cron: "10 0 * * *"
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: rebuild
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - name: Install reprisals-site
        run: cargo install --locked --git "${{ vars.REPRISALS_SITE_GIT }}" reprisals-site
      - name: Build
        id: build
        run: |
          set +e
          reprisals-site build 2>&1 | tee build.log
          code=${PIPESTATUS[0]}
          echo "code=$code" >> "$GITHUB_OUTPUT"
          if [ "$code" -eq 5 ]; then echo "::warning::built, but some records were withheld because of errors; see the log"; fi
          if [ "$code" -ne 0 ] && [ "$code" -ne 5 ]; then exit "$code"; fi
        shell: bash
      - name: Deploy
        if: steps.build.outputs.code == '0' || steps.build.outputs.code == '5'
        env:
          DEPLOY_SSH_KEY: ${{ secrets.DEPLOY_SSH_KEY }}
          DEPLOY_TARGET: ${{ secrets.DEPLOY_TARGET }}
        run: |
          install -m 600 /dev/null ~/deploy_key
          printf '%s\n' "$DEPLOY_SSH_KEY" > ~/deploy_key
          rsync -a --delete -e "ssh -i ~/deploy_key -o StrictHostKeyChecking=accept-new" public/ "$DEPLOY_TARGET"
      - name: Alert
        if: failure() || steps.build.outputs.code == '5'
        env:
          ALERT_WEBHOOK: ${{ secrets.ALERT_WEBHOOK }}
        run: |
          if [ -n "$ALERT_WEBHOOK" ]; then
            jq -Rs '{text: ("reprisals-site daily rebuild needs attention:\n" + .)}' build.log \
              | curl -fsS -H 'Content-Type: application/json' -d @- "$ALERT_WEBHOOK"
          fi
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_taken_from_the_base_url() {
        assert_eq!(
            host_of("https://reprisals.example.org/sub/"),
            "reprisals.example.org"
        );
        assert_eq!(host_of("http://localhost:8080/"), "localhost:8080");
    }
}
