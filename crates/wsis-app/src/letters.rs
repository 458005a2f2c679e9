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

/// A letter of the account's lifecycle: a greeting, a paragraph, an optional line (a link), and a closing paragraph.
fn account_letter(
    name: &str,
    subject: &str,
    intro: &str,
    line: Option<&str>,
    outro: &str,
) -> Letter {
    let name = wsis_domain::text::plain_name(name);
    let line = line.map(|l| format!("\n\n{l}")).unwrap_or_default();
    Letter {
        subject: format!("WSIS: {subject}"),
        body: format!("{name},\n\n{intro}{line}\n\n{outro}\n"),
    }
}

/// The link that resets a password.
pub fn password_reset(language: Language, name: &str, link: &str) -> Letter {
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "إعادة تعيين كلمة المرور",
            "لاختيار كلمة مرور جديدة لحسابك في WSIS، افتح هذا الرابط:",
            "يعمل الرابط مرة واحدة وتنتهي صلاحيته بعد 60 دقيقة. إن لم تطلبه، فتجاهل هذه الرسالة: لم تتغير كلمة مرورك.",
        ),
        Language::Zh => (
            "重置您的密码",
            "要为您的WSIS账户设置新密码，请打开以下链接：",
            "该链接只能使用一次，60分钟后失效。如果您没有提出此请求，请忽略本邮件：您的密码没有更改。",
        ),
        Language::En => (
            "Reset your password",
            "To choose a new password for your WSIS account, open this link:",
            "The link works once and expires in 60 minutes. If you did not ask for it, ignore this message: your password has not changed.",
        ),
        Language::Fr => (
            "Réinitialisez votre mot de passe",
            "Pour choisir un nouveau mot de passe pour votre compte WSIS, ouvrez ce lien :",
            "Le lien ne sert qu'une fois et expire dans 60 minutes. Si vous ne l'avez pas demandé, ignorez ce message : votre mot de passe n'a pas changé.",
        ),
        Language::Ru => (
            "Сброс пароля",
            "Чтобы выбрать новый пароль для учётной записи WSIS, откройте эту ссылку:",
            "Ссылка действует один раз в течение 60 минут. Если вы её не запрашивали, не обращайте внимания на это письмо: ваш пароль не изменился.",
        ),
        Language::Es => (
            "Restablezca su contraseña",
            "Para elegir una nueva contraseña para su cuenta WSIS, abra este enlace:",
            "El enlace sirve una sola vez y caduca en 60 minutos. Si no lo pidió, ignore este mensaje: su contraseña no ha cambiado.",
        ),
    };
    account_letter(name, subject, intro, Some(link), outro)
}

/// The notice that a password was reset and every session signed out.
pub fn password_changed(language: Language, name: &str) -> Letter {
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "تم تغيير كلمة مرورك",
            "تم للتو تغيير كلمة مرور حسابك في WSIS، وتم تسجيل الخروج من جميع الجلسات.",
            "إن لم تكن أنت، فأعد تعيين كلمة مرورك فوراً واتصل بأمانة WSIS.",
        ),
        Language::Zh => (
            "您的密码已更改",
            "您的WSIS账户密码刚刚被更改，所有会话均已退出。",
            "如果不是您本人操作，请立即重置密码并联系WSIS秘书处。",
        ),
        Language::En => (
            "Your password was changed",
            "The password of your WSIS account was just changed, and every session was signed out.",
            "If this was not you, reset your password at once and contact the WSIS secretariat.",
        ),
        Language::Fr => (
            "Votre mot de passe a été modifié",
            "Le mot de passe de votre compte WSIS vient d'être modifié, et toutes les sessions ont été fermées.",
            "Si ce n'était pas vous, réinitialisez immédiatement votre mot de passe et contactez le secrétariat du SMSI.",
        ),
        Language::Ru => (
            "Ваш пароль изменён",
            "Пароль вашей учётной записи WSIS только что изменён, и все сеансы завершены.",
            "Если это были не вы, немедленно сбросьте пароль и свяжитесь с секретариатом ВВУИО.",
        ),
        Language::Es => (
            "Se cambió su contraseña",
            "Se acaba de cambiar la contraseña de su cuenta WSIS y se cerraron todas las sesiones.",
            "Si no fue usted, restablezca su contraseña de inmediato y póngase en contacto con la secretaría de la CMSI.",
        ),
    };
    account_letter(name, subject, intro, None, outro)
}

/// The link that moves an account to a new address, sent to that address.
pub fn email_change(language: Language, name: &str, link: &str) -> Letter {
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "تأكيد عنوان بريدك الإلكتروني الجديد",
            "لنقل حسابك في WSIS إلى هذا العنوان، افتح هذا الرابط:",
            "تنتهي صلاحية الرابط بعد 48 ساعة. إن لم تطلبه، فتجاهل هذه الرسالة.",
        ),
        Language::Zh => (
            "请确认您的新电子邮件地址",
            "要将您的WSIS账户改用此地址，请打开以下链接：",
            "该链接将在48小时后失效。如果您没有提出此请求，请忽略本邮件。",
        ),
        Language::En => (
            "Confirm your new e-mail address",
            "To move your WSIS account to this address, open this link:",
            "The link expires in 48 hours. If you did not ask for it, ignore this message.",
        ),
        Language::Fr => (
            "Confirmez votre nouvelle adresse électronique",
            "Pour que votre compte WSIS utilise cette adresse, ouvrez ce lien :",
            "Le lien expire dans 48 heures. Si vous ne l'avez pas demandé, ignorez ce message.",
        ),
        Language::Ru => (
            "Подтвердите новый адрес электронной почты",
            "Чтобы перевести учётную запись WSIS на этот адрес, откройте эту ссылку:",
            "Ссылка действительна 48 часов. Если вы её не запрашивали, не обращайте внимания на это письмо.",
        ),
        Language::Es => (
            "Confirme su nueva dirección de correo electrónico",
            "Para que su cuenta WSIS use esta dirección, abra este enlace:",
            "El enlace caduca en 48 horas. Si no lo pidió, ignore este mensaje.",
        ),
    };
    account_letter(name, subject, intro, Some(link), outro)
}

/// To the old address: the account moved to another.
pub fn email_changed(language: Language, name: &str, new_address: &str) -> Letter {
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "تم تغيير عنوان بريدك الإلكتروني",
            "أصبح حسابك في WSIS يستخدم عنواناً آخر:",
            "إن لم تكن أنت، فاتصل بأمانة WSIS فوراً.",
        ),
        Language::Zh => (
            "您的电子邮件地址已更改",
            "您的WSIS账户现在使用另一个地址：",
            "如果不是您本人操作，请立即联系WSIS秘书处。",
        ),
        Language::En => (
            "Your e-mail address was changed",
            "Your WSIS account now uses another address:",
            "If this was not you, contact the WSIS secretariat at once.",
        ),
        Language::Fr => (
            "Votre adresse électronique a été modifiée",
            "Votre compte WSIS utilise désormais une autre adresse :",
            "Si ce n'était pas vous, contactez immédiatement le secrétariat du SMSI.",
        ),
        Language::Ru => (
            "Ваш адрес электронной почты изменён",
            "Ваша учётная запись WSIS теперь использует другой адрес:",
            "Если это были не вы, немедленно свяжитесь с секретариатом ВВУИО.",
        ),
        Language::Es => (
            "Se cambió su dirección de correo electrónico",
            "Su cuenta WSIS usa ahora otra dirección:",
            "Si no fue usted, póngase en contacto de inmediato con la secretaría de la CMSI.",
        ),
    };
    account_letter(name, subject, intro, Some(new_address), outro)
}

/// The confirmation that an account was erased.
pub fn account_erased(language: Language, name: &str) -> Letter {
    let (subject, intro, outro) = match language {
        Language::Ar => (
            "تم محو حسابك",
            "تم محو حسابك في WSIS كما طلبت: حُذفت بياناتك الشخصية وانتهت عضوياتك وأُغلقت جلساتك.",
            "تبقى المساهمات التي أعددتها مع منظماتها. هذه آخر رسالة نرسلها إلى هذا العنوان بشأن الحساب.",
        ),
        Language::Zh => (
            "您的账户已删除",
            "已按您的要求删除您的WSIS账户：您的个人数据已清除，成员资格已终止，会话已退出。",
            "您准备的提交内容仍归其组织所有。这是我们就此账户发送到该地址的最后一封邮件。",
        ),
        Language::En => (
            "Your account was erased",
            "Your WSIS account was erased as you asked: your personal data is removed, your memberships ended and your sessions signed out.",
            "Submissions you prepared stay with their organisations. This is the last message we send to this address about the account.",
        ),
        Language::Fr => (
            "Votre compte a été effacé",
            "Votre compte WSIS a été effacé comme vous l'avez demandé : vos données personnelles sont supprimées, vos adhésions terminées et vos sessions fermées.",
            "Les contributions que vous avez préparées restent à leurs organisations. C'est le dernier message que nous envoyons à cette adresse au sujet du compte.",
        ),
        Language::Ru => (
            "Ваша учётная запись удалена",
            "Ваша учётная запись WSIS удалена по вашей просьбе: личные данные стёрты, членство в организациях прекращено, сеансы завершены.",
            "Подготовленные вами материалы остаются у своих организаций. Это последнее письмо, которое мы отправляем на этот адрес по поводу учётной записи.",
        ),
        Language::Es => (
            "Su cuenta fue borrada",
            "Su cuenta WSIS fue borrada como pidió: sus datos personales se eliminaron, sus membresías terminaron y sus sesiones se cerraron.",
            "Las contribuciones que preparó siguen con sus organizaciones. Este es el último mensaje que enviamos a esta dirección sobre la cuenta.",
        ),
    };
    account_letter(name, subject, intro, None, outro)
}
