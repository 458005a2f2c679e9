//! Mail: templates in the six UN languages, and delivery of the durable outbox by SMTP or as `.eml` files.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{Message, SmtpTransport, Transport as _};
use wsis_domain::Language;
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

    /// Delivers one message (blocking).
    pub fn deliver(&self, message: &OutboxMessage) -> Result<(), String> {
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
                // The files hold verification and invitation tokens: readable by the service's user alone.
                private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
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

/// Delivers due messages (only `ids`, if given); returns how many were sent. Failures are recorded for a retry.
pub fn deliver_pending(
    db: &Database,
    mailer: &Mailer,
    now: DateTime<Utc>,
    ids: Option<&[String]>,
) -> Result<usize, DbError> {
    let claimed = db.with(|conn| outbox::claim_due(conn, now, Duration::minutes(5), 50, ids))?;
    let mut sent = 0;
    for message in claimed {
        match mailer.deliver(&message) {
            Ok(()) => {
                db.with(|conn| outbox::mark_sent(conn, &message.id, now))?;
                sent += 1;
            }
            Err(err) => {
                tracing::warn!(outbox.id = %message.id, error = %err, "mail delivery failed; will retry");
                db.with(|conn| outbox::mark_failed(conn, &message, &err, now))?;
            }
        }
    }
    Ok(sent)
}

/// A subject and a plain-text body.
#[derive(Debug)]
pub struct Letter {
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
}

/// The e-mail verification message.
pub fn verification(language: Language, name: &str, link: &str) -> Letter {
    // Names are refused with control characters now; ones stored before are cleaned where they go into mail.
    let name = wsis_domain::text::plain_name(name);
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "تأكيد عنوان بريدك الإلكتروني",
            "لتأكيد عنوان بريدك الإلكتروني، افتح هذا الرابط:",
            "تنتهي صلاحية الرابط بعد 48 ساعة.",
        ),
        Language::Zh => (
            "请确认您的电子邮件地址",
            "请打开以下链接以确认您的电子邮件地址：",
            "该链接将在48小时后失效。",
        ),
        Language::En => (
            "Confirm your e-mail address",
            "To confirm your e-mail address, open this link:",
            "The link expires in 48 hours.",
        ),
        Language::Fr => (
            "Confirmez votre adresse électronique",
            "Pour confirmer votre adresse électronique, ouvrez ce lien :",
            "Le lien expire dans 48 heures.",
        ),
        Language::Ru => (
            "Подтвердите адрес электронной почты",
            "Чтобы подтвердить адрес электронной почты, откройте эту ссылку:",
            "Ссылка действительна 48 часов.",
        ),
        Language::Es => (
            "Confirme su dirección de correo electrónico",
            "Para confirmar su dirección de correo electrónico, abra este enlace:",
            "El enlace caduca en 48 horas.",
        ),
    };
    Letter {
        subject: format!("WSIS: {subject}"),
        body: format!("{name},\n\n{intro}\n\n{link}\n\n{outro}\n"),
    }
}

/// To the owner of an address someone tried to register again: no account was made, nothing changed.
pub fn registration_again(language: Language, name: &str, sign_in: &str) -> Letter {
    let name = wsis_domain::text::plain_name(name);
    let (subject, body) = match language {
        Language::Ar => (
            "محاولة تسجيل بعنوان بريدك الإلكتروني",
            "طلب أحدهم للتو إنشاء حساب WSIS بعنوان بريدك الإلكتروني، ولديك حساب بالفعل، فلم يتغير شيء. إن كنت أنت، فسجّل الدخول هنا:",
        ),
        Language::Zh => (
            "有人尝试用您的电子邮件地址注册",
            "有人刚刚请求用您的电子邮件地址创建WSIS账户。您已有账户，因此没有任何更改。如果是您本人，请在此登录：",
        ),
        Language::En => (
            "A registration with your e-mail address",
            "Someone just asked to create a WSIS account with your e-mail address. You already have one, so nothing has changed. If it was you, sign in here:",
        ),
        Language::Fr => (
            "Une inscription avec votre adresse électronique",
            "Quelqu'un vient de demander la création d'un compte WSIS avec votre adresse électronique. Vous en avez déjà un : rien n'a changé. Si c'était vous, connectez-vous ici :",
        ),
        Language::Ru => (
            "Регистрация с вашим адресом электронной почты",
            "Кто-то только что попросил создать учётную запись WSIS с вашим адресом электронной почты. У вас уже есть учётная запись, поэтому ничего не изменилось. Если это были вы, войдите здесь:",
        ),
        Language::Es => (
            "Un registro con su dirección de correo electrónico",
            "Alguien acaba de solicitar una cuenta WSIS con su dirección de correo electrónico. Usted ya tiene una, así que nada ha cambiado. Si fue usted, inicie sesión aquí:",
        ),
    };
    Letter {
        subject: format!("WSIS: {subject}"),
        body: format!("{name},\n\n{body}\n\n{sign_in}\n"),
    }
}

/// The invitation to join an organisation.
pub fn invitation(language: Language, organisation: &str, role: &str, link: &str) -> Letter {
    let organisation = wsis_domain::text::plain_name(organisation);
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "دعوة للانضمام إلى",
            "تمت دعوتك للانضمام بصفة",
            "لقبول الدعوة، سجّل الدخول وافتح هذا الرابط خلال 7 أيام:",
        ),
        Language::Zh => (
            "邀请您加入",
            "您已受邀加入，角色为",
            "请登录并在7天内打开以下链接接受邀请：",
        ),
        Language::En => (
            "Invitation to join",
            "You have been invited to join as",
            "To accept, sign in and open this link within 7 days:",
        ),
        Language::Fr => (
            "Invitation à rejoindre",
            "Vous êtes invité à rejoindre en tant que",
            "Pour accepter, connectez-vous et ouvrez ce lien dans les 7 jours :",
        ),
        Language::Ru => (
            "Приглашение присоединиться к",
            "Вас пригласили присоединиться в роли",
            "Чтобы принять приглашение, войдите и откройте эту ссылку в течение 7 дней:",
        ),
        Language::Es => (
            "Invitación para unirse a",
            "Ha sido invitado a unirse como",
            "Para aceptar, inicie sesión y abra este enlace en un plazo de 7 días:",
        ),
    };
    Letter {
        subject: format!("WSIS: {subject} {organisation}"),
        body: format!("{organisation}\n\n{intro} {role}.\n\n{outro}\n\n{link}\n"),
    }
}

/// The receipt of a submission.
pub fn receipt(
    language: Language,
    number: &str,
    track: &str,
    received_utc: &str,
    received_local: &str,
    sha256: &str,
    check_code: &str,
) -> Letter {
    let (subject, received, digest, check) = match language {
        Language::Ar => ("إيصال", "تم الاستلام", "البصمة (SHA-256)", "رمز التحقق"),
        Language::Zh => ("回执", "接收时间", "摘要 (SHA-256)", "校验码"),
        Language::En => ("Receipt", "Received", "Digest (SHA-256)", "Check code"),
        Language::Fr => (
            "Accusé de réception",
            "Reçu le",
            "Empreinte (SHA-256)",
            "Code de vérification",
        ),
        Language::Ru => ("Квитанция", "Получено", "Хеш (SHA-256)", "Код проверки"),
        Language::Es => (
            "Acuse de recibo",
            "Recibido",
            "Huella (SHA-256)",
            "Código de verificación",
        ),
    };
    Letter {
        subject: format!("WSIS: {subject} {number}"),
        body: format!(
            "{number} ({track})\n\n{received}: {received_utc}\n{received}: {received_local}\n{digest}: {sha256}\n{check}: {check_code}\n"
        ),
    }
}

/// A staff decision on a submission.
pub fn decision(language: Language, number: &str, status: &str, note: Option<&str>) -> Letter {
    let (subject, line) = match language {
        Language::Ar => ("قرار بشأن", "الحالة الجديدة"),
        Language::Zh => ("关于以下提交的决定", "新状态"),
        Language::En => ("Decision on", "New status"),
        Language::Fr => ("Décision concernant", "Nouveau statut"),
        Language::Ru => ("Решение по", "Новый статус"),
        Language::Es => ("Decisión sobre", "Nuevo estado"),
    };
    let note = note.map(|n| format!("\n{n}\n")).unwrap_or_default();
    Letter {
        subject: format!("WSIS: {subject} {number}"),
        body: format!("{number}\n\n{line}: {status}\n{note}"),
    }
}
