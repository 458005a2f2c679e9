//! Mail: templates in the six UN languages, and delivery of the durable outbox by SMTP or as `.eml` files.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{Message, SmtpTransport, Transport as _};
use wsis_persistence::outbox::{self, OutboxMessage};
use wsis_persistence::{Database, DbError};

/// Where mail goes.
pub enum Transport {
    /// Each message as `<id>.eml` in this directory (when no SMTP server is configured).
    Files(PathBuf),
    /// An SMTP relay.
    Smtp(Box<SmtpTransport>),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Files(dir) => write!(f, "files in {}", dir.display()),
            Self::Smtp(_) => f.write_str("smtp"),
        }
    }
}

/// Sends outbox messages.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("transport", &self.transport)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// A mailer sending from `from` (`Name <address>`).
    pub fn new(transport: Transport, from: &str) -> Result<Self, String> {
        let from = from
            .parse()
            .map_err(|e| format!("mail sender `{from}`: {e}"))?;
        Ok(Self { transport, from })
    }

    /// An SMTP transport from a URL such as `smtps://user:password@smtp.example.org:465`.
    pub fn smtp(url: &str) -> Result<Transport, String> {
        SmtpTransport::from_url(url)
            .map(|b| Transport::Smtp(Box::new(b.build())))
            .map_err(|e| e.to_string())
    }

    /// Makes ready to deliver a batch: the files' directory exists, readable by the service's user alone (the files
    /// hold verification and invitation tokens).
    fn prepare(&self) -> Result<(), String> {
        match &self.transport {
            Transport::Files(dir) => {
                private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))
            }
            Transport::Smtp(_) => Ok(()),
        }
    }

    /// Delivers one message (blocking), once [`Mailer::prepare`] has.
    fn deliver(&self, message: &OutboxMessage) -> Result<(), String> {
        let email = Message::builder()
            .from(self.from.clone())
            .to(message
                .recipient
                .parse()
                .map_err(|e| format!("recipient: {e}"))?)
            .subject(&message.subject)
            .message_id(Some(format!("<{}@wsis>", message.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(readable_body(&message.body))
            .map_err(|e| e.to_string())?;
        match &self.transport {
            Transport::Files(dir) => {
                let path = dir.join(format!("{}.eml", message.id));
                let temp = dir.join(format!(".{}.eml.tmp", message.id));
                write_private(&temp, &email.formatted())
                    .map_err(|e| format!("{}: {e}", temp.display()))?;
                std::fs::rename(&temp, &path).map_err(|e| format!("{}: {e}", path.display()))
            }
            Transport::Smtp(smtp) => smtp.send(&email).map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// Whether mail can be sent to `email`: the transport's address grammar, narrower than an address's
/// (`a,b@example.org` parses as an address but would name two recipients in a header).
pub fn deliverable(email: &wsis_domain::Email) -> bool {
    email.as_str().parse::<lettre::Address>().is_ok()
}

/// Creates `dir` (and its parents) readable by the owner alone (0700); an existing one keeps its mode.
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Writes a new file readable and writable by the owner alone (0600).
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

/// The body as 8-bit UTF-8 text (RFC 6152), so `.eml` files and the links in them read as written in every
/// language; lettre's own encoding when a line is too long for 8-bit transport (998 octets) or holds a NUL.
fn readable_body(text: &str) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let fits = crlf.split("\r\n").all(|line| line.len() <= 998) && !crlf.contains('\0');
    if fits {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
    } else {
        Body::new(text.to_owned())
    }
}

/// Delivers due messages (only `ids`, if given); returns how many were sent. Failures are recorded for a retry;
/// the sent ones are recorded together, in one commit after the batch (a crash in between sends them again after
/// their lease: delivery is at least once, as with any outbox).
pub fn deliver_pending(
    db: &Database,
    mailer: &Mailer,
    now: DateTime<Utc>,
    ids: Option<&[String]>,
) -> Result<usize, DbError> {
    let claimed = db.with(|conn| outbox::claim_due(conn, now, Duration::minutes(5), 50, ids))?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ready = mailer.prepare();
    let mut sent = Vec::with_capacity(claimed.len());
    for message in &claimed {
        match ready.clone().and_then(|()| mailer.deliver(message)) {
            Ok(()) => sent.push(message.id.clone()),
            Err(err) => {
                tracing::warn!(outbox.id = %message.id, error = %err, "mail delivery failed; will retry");
                db.with(|conn| outbox::mark_failed(conn, message, &err, now))?;
            }
        }
    }
    db.with(|conn| outbox::mark_sent(conn, &sent, now))?;
    Ok(sent.len())
}

pub use wsis_app::letters::*;
