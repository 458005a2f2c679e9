//! The letters the system sends, in the six languages: rendered here, queued as outbox rows by the use case that
//! sends them (in its transaction), delivered by the mail worker.

use wsis_domain::Language;

/// A subject and a plain-text body.
#[derive(Debug)]
pub struct Letter {
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
}

/// One letter to each recipient, written in their language (English when the code is not one of the six), as
/// outbox mail.
pub fn to_each(
    recipients: &[wsis_persistence::submissions::Recipient],
    write: impl Fn(Language) -> Letter,
) -> Vec<wsis_persistence::submissions::Mail> {
    recipients
        .iter()
        .map(|recipient| {
            let language: Language = recipient.language.parse().unwrap_or(Language::En);
            let letter = write(language);
            wsis_persistence::submissions::Mail {
                to: recipient.email.clone(),
                subject: letter.subject,
                body: letter.body,
                language: language.code().to_owned(),
            }
        })
        .collect()
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

/// The notice that a webhook endpoint failed for a day and was disabled.
pub fn webhook_disabled(language: Language, url: &str, reason: &str) -> Letter {
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "تم تعطيل نقطة نهاية webhook",
            "فشل تسليم الأحداث إلى نقطة النهاية هذه لمدة 24 ساعة، فتم تعطيلها:",
            "بعد إصلاحها، أعد تفعيلها (PATCH /api/v1/webhooks/{id} مع \"active\": true)؛ تُسلَّم الأحداث الفائتة بالترتيب.",
        ),
        Language::Zh => (
            "Webhook 端点已停用",
            "向此端点投递事件已连续失败 24 小时，因此已将其停用：",
            "修复后请重新启用（PATCH /api/v1/webhooks/{id}，\"active\": true）；错过的事件将按顺序投递。",
        ),
        Language::En => (
            "Webhook endpoint disabled",
            "Deliveries to this endpoint failed for 24 hours, so it was disabled:",
            "Once it is fixed, enable it again (PATCH /api/v1/webhooks/{id} with \"active\": true); the events it missed are delivered in order.",
        ),
        Language::Fr => (
            "Point de terminaison webhook désactivé",
            "Les livraisons à ce point de terminaison ont échoué pendant 24 heures ; il a été désactivé :",
            "Une fois corrigé, réactivez-le (PATCH /api/v1/webhooks/{id} avec \"active\": true) ; les événements manqués sont livrés dans l’ordre.",
        ),
        Language::Ru => (
            "Конечная точка webhook отключена",
            "Доставка на эту конечную точку не удавалась 24 часа, поэтому она отключена:",
            "После исправления включите её снова (PATCH /api/v1/webhooks/{id} с \"active\": true); пропущенные события будут доставлены по порядку.",
        ),
        Language::Es => (
            "Punto de conexión webhook desactivado",
            "Las entregas a este punto de conexión fallaron durante 24 horas, por lo que se desactivó:",
            "Una vez corregido, vuelva a activarlo (PATCH /api/v1/webhooks/{id} con \"active\": true); los eventos perdidos se entregan en orden.",
        ),
    };
    Letter {
        subject: format!("WSIS: {subject}"),
        body: format!(
            "{intro}\n\n{}\n{}\n\n{outro}\n",
            wsis_domain::text::plain_name(url),
            wsis_domain::text::plain_name(reason)
        ),
    }
}
