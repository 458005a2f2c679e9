# Problem details and field messages in Arabic. See en.ftl (the reference) and docs/messages.md.

## The server's own answers.
fields-invalid = { $count ->
    [two] حقلان غير صالحين؛ انظر `errors`.
    [few] { $count } حقول غير صالحة؛ انظر `errors`.
    [many] { $count } حقلًا غير صالح؛ انظر `errors`.
   *[other] { $count } حقل غير صالح؛ انظر `errors`.
}
field-with-message = `{ $field }`: { $message }
internal-error = تعذّر على الخادم الرد على هذا الطلب؛ وقد سُجّل الخطأ.
database-unavailable = لا تستطيع الخدمة الوصول إلى قاعدة بياناتها الآن؛ أعد المحاولة بعد قليل.
starting = الخدمة قيد التشغيل: قاعدة بياناتها ليست جاهزة بعد؛ أعد المحاولة بعد قليل.
busy-hashing = يجري الآن معالجة عدد كبير جدًا من عمليات الدخول والتسجيل؛ أعد المحاولة بعد لحظة.
resource-missing = هذا المورد غير موجود.
status-refused = رُفض الطلب بالحالة { $status } (`{ $code }`).

## The request: its body, its path, its method.
body-unreadable = تعذّرت قراءة نص الطلب.
body-too-large = يتجاوز نص الطلب الحد الأقصى البالغ { $limit } بايت.
body-not-json = يجب أن يكون نص الطلب بصيغة JSON مرسلًا مع `Content-Type: application/json`.
body-form-or-json = أرسل نص الطلب بصيغة application/x-www-form-urlencoded أو application/json.
json-empty = نص الطلب فارغ: ليس JSON صالحًا (السطر 1، العمود 0).
json-invalid = { $what }: نص الطلب ليس JSON صالحًا (السطر { $line }، العمود { $column }).
not-found-path = لا يوجد مورد في `{ $path }`.
not-found-route = لا يوجد مورد في هذا المسار؛ راجع /docs للاطلاع على مرجع الواجهة البرمجية.
method-not-allowed-on = الطريقة `{ $method }` غير مسموح بها على `{ $path }`.
method-not-allowed = الطريقة `{ $method }` غير مسموح بها على `{ $path }`؛ الطرق المسموح بها: { $allowed }.
not-found-docs-file = لا يوجد هذا الملف في واجهة مرجع الواجهة البرمجية.
not-found-problem-type = لا يوجد نوع المشكلة هذا؛ راجع مستند OpenAPI.

## Signing in, tokens, and who may do what. `action-*` completes `refused-sign-in-to` and `refused-staff-only`.
refused-role = دورك لا يسمح بذلك.
refused-sign-in = سجّل الدخول: تتطلب هذه العملية رمز وصول.
refused-sign-in-submissions = سجّل الدخول: تتطلب الطلبات المقدَّمة رمز وصول.
refused-sign-in-to = سجّل الدخول من أجل { $action }.
refused-staff-only = لا يحق إلا لموظفي الأمانة { $action }.
refused-sign-in-user = سجّل الدخول: تتطلب هذه العملية رمز وصول خاصًا بمستخدم.
refused-clients-no-account = هذه العملية مخصصة للمستخدمين؛ ليس لعملاء الواجهة البرمجية حساب.
refused-clients-cannot = لا يستطيع عملاء الواجهة البرمجية فعل ذلك؛ سجّل الدخول بصفتك مستخدمًا.
refused-drafts-staff = لا يرى المسودات في الإحصاءات إلا موظفو الأمانة.
refused-sign-in-exports = سجّل الدخول: يتطلب التصدير رمز وصول.
refused-exports = التصدير متاح لموظفي الأمانة وللشركاء الذين لديهم النطاق exports:read.
action-create-calls = إنشاء الدعوات
action-change-window = تغيير الفترة الزمنية لمسار
action-decide = البت في الطلبات المقدَّمة
action-move-pledges = نقل التعهدات إلى مرحلتها التالية
action-record-awards = تسجيل الجوائز الممنوحة
action-grant-extensions = منح التمديدات
action-see-extensions = الاطلاع على التمديدات
action-list-users = عرض قائمة المستخدمين
action-grant-roles = منح الأدوار
action-withdraw-roles = سحب الأدوار
action-delete-users = حذف المستخدمين
action-create-clients = إنشاء عملاء الواجهة البرمجية
action-list-clients = عرض قائمة عملاء الواجهة البرمجية
action-read-clients = الاطلاع على عملاء الواجهة البرمجية
action-rotate-secrets = تجديد أسرار عملاء الواجهة البرمجية
action-revoke-clients = إلغاء عملاء الواجهة البرمجية
token-header-unreadable = تعذّرت قراءة الترويسة Authorization.
token-use-bearer = استخدم `Authorization: Bearer <رمز الوصول>`.
token-invalid-or-expired = رمز الوصول غير صالح أو منتهي الصلاحية؛ سجّل الدخول مجددًا.
token-session-ended = انتهت جلسة هذا الرمز؛ سجّل الدخول مجددًا.
grant-wrong-password = عنوان البريد الإلكتروني أو كلمة المرور غير صحيح.
grant-refresh-reused = سبق استخدام رمز التحديث؛ أُلغيت الجلسة، فسجّل الدخول مجددًا.
grant-refresh-invalid = رمز التحديث غير معروف أو منتهي الصلاحية أو ملغى.
grant-wrong-client = عميل غير معروف أو سرّ غير صحيح.
grant-parameter-required = المعامل `{ $name }` مطلوب لنوع المنحة هذا.
grant-client-credentials = قدّم `client_id` و`client_secret`، أو بيانات اعتماد HTTP Basic.
grant-type-unsupported = النوع `{ $given }` غير مدعوم؛ استخدم password أو refresh_token أو client_credentials.
action-set-phases = تحديد مراحل الجوائز
action-shortlist = اختيار المرشحين النهائيين
action-publish = نشر قائمة المرشحين النهائيين ونتائج الجوائز
refused-sign-in-vote = سجّل الدخول للتصويت.
refused-clients-vote = لا يصوّت عملاء الواجهة البرمجية؛ بل يصوّت الأشخاص.
action-invalidate-votes = إبطال الأصوات
action-record-earlier-winners = تسجيل الفائزين في السنوات السابقة

## What does not exist (404).
not-found-track = لا يوجد مسار `{ $track }`.
not-found-call = لا توجد دعوة `{ $slug }`.
not-found-track-of-call = لا تتضمن الدعوة `{ $slug }` المسار `{ $kind }`.
not-found-submission = لا يوجد طلب مقدَّم `{ $id }`.
not-found-membership = لا توجد هذه المنظمة، أو لستَ عضوًا فيها.
not-found-call-or-organisation = لا توجد هذه الدعوة أو المنظمة.
not-found-beneficiary = لا توجد هذه المنظمة أو هذا الطلب في هذا المسار.
not-found-organisation = لا توجد منظمة `{ $id }`.
not-found-member = `{ $user }` ليس عضوًا.
not-found-user = لا يوجد مستخدم `{ $id }`.
not-found-client = لا يوجد عميل للواجهة البرمجية `{ $id }`.
not-found-track-kinds = لا تتضمن الدعوة `{ $slug }` المسار `{ $track }`؛ المسارات هي ocp وstocktaking وprizes وtrust_fund.
not-found-project = لا يوجد هذا المشروع في المستودع العام.
not-found-receipt-never-submitted = لا يوجد إيصال لهذا الطلب: لم يُقدَّم قط.
not-found-receipt = لا يوجد إيصال بهذا الرمز للتحقق.
not-found-nomination = لا يوجد ترشيح `{ $id }` في هذه الدعوة.
not-found-nominee = `{ $id }` ليس من المرشحين النهائيين في هذه الدعوة.
not-found-nominees = لم تُنشر قائمة المرشحين النهائيين في `{ $slug }`.
not-found-results = لم تُنشر نتائج `{ $slug }`.

## Versions (412, 428) and repeated requests. `thing-*` completes `changed-meanwhile`.
changed-submission-meanwhile = تغيّر الطلب في أثناء ذلك؛ اجلبه مرة أخرى.
changed-submission = تغيّر الطلب منذ نسختك؛ اجلبه مرة أخرى.
changed-submission-while-submitting = تغيّر الطلب في أثناء تقديمه؛ اجلبه مرة أخرى.
precondition-submission = أرسل `If-Match` مع قيمة `ETag` الحالية للطلب.
changed-meanwhile = تغيّر { $what } في أثناء ذلك؛ اجلبه مرة أخرى.
precondition-organisation = أرسل `If-Match` مع قيمة `ETag` الحالية للمنظمة.
changed-organisation = تغيّرت المنظمة منذ نسختك؛ اجلبها مرة أخرى.
thing-submission = الطلب المقدَّم
thing-pledge = التعهد
thing-nomination = الترشيح
idempotency-in-flight = لا يزال طلب بمفتاح Idempotency-Key هذا قيد المعالجة؛ أعد المحاولة بعد قليل.

## The lifecycle of a submission, and its deadlines (409).
refused-transition = لا يمكن تطبيق `{ $transition }` على طلب حالته `{ $from }`.
refused-editors-change = لا يعدّل طلبات المنظمة إلا مالكوها ومحرروها.
refused-verify-to-submit = تحقّق من عنوان بريدك الإلكتروني قبل التقديم.
refused-editors-contribute = لا يساهم باسم المنظمة إلا مالكوها ومحرروها.
refused-change-status = لا يمكن تعديل طلب حالته `{ $status }`.
refused-delete-submitted = لا تُحذف إلا المسودات؛ اسحب الطلب المقدَّم بدلًا من ذلك.
refused-people-act = لا يتصرف باسم المنظمات إلا الأشخاص.
refused-people-create = لا يُنشئ المنظمات إلا الأشخاص.
refused-people-join = لا ينضم إلى المنظمات إلا الأشخاص.
refused-verify-to-join = تحقّق من عنوان بريدك الإلكتروني قبل قبول الدعوة.
refused-pledge-order = يمر التعهد بالمراحل pledged ثم confirmed ثم received؛ وحالة هذا التعهد `{ $status }`.
refused-pledge-not-submitted = يمر التعهد بالمراحل pledged ثم confirmed ثم received؛ وهذا التعهد لم يُقدَّم.
refused-award-not-accepted = لا تُمنح الجوائز إلا للترشيحات المقبولة؛ وحالة هذا الترشيح `{ $status }`.
deadline-not-open = يُفتح المسار `{ $kind }` في { $opens }.
deadline-was = كان الموعد النهائي { $deadline } ({ $local })؛ وتلقّى الخادم هذا الطلب في { $received }.
deadline-closed = أُغلق المسار `{ $kind }` في { $closed }.
refused-verify-to-vote = تحقّق من عنوان بريدك الإلكتروني قبل التصويت.

## Conflicts, owners, one-time links and limits.
token-link-invalid = الرابط غير معروف أو سبق استخدامه أو انتهت صلاحيته؛ اطلب رابطًا جديدًا.
last-owner = تحتفظ المنظمة بمالك واحد على الأقل؛ اجعل شخصًا آخر مالكًا أولًا.
token-invitation-invalid = هذه الدعوة غير معروفة أو سبق استخدامها أو انتهت صلاحيتها أو موجهة إلى عنوان بريد إلكتروني آخر.
rate-limited-invitations = دعوات كثيرة جدًا: بلغ هذا العنوان أو هذا الحساب الحد المسموح به في هذه الساعة.
last-owner-of = هذا المستخدم هو آخر مالك لـ { $organisations }: اجعل شخصًا آخر مالكًا أولًا.
rate-limited-passwords = محاولات فاشلة كثيرة جدًا لإدخال كلمة المرور؛ انتظر قبل المحاولة مرة أخرى.
conflict-call-exists = الدعوة `{ $slug }` موجودة بالفعل.
conflict-one-per-category = ترشيح واحد لكل منظمة في كل فئة في كل دعوة.
conflict-nominated-once = لا يُرشَّح المشروع إلا مرة واحدة في كل دعوة.
conflict-same-identifier = يوجد بالفعل مورد له المعرّف نفسه.
conflict-already-voted = لقد صوّتَّ بالفعل في الفئة { $category }؛ والتصويت نهائي.
rate-limited-votes = أصوات كثيرة جدًا من هذا العنوان في هذه الساعة؛ انتظر قبل التصويت مرة أخرى.
rate-limited-signups = عمليات تسجيل كثيرة جدًا من هذا العنوان في هذه الساعة؛ انتظر قبل التسجيل مرة أخرى.

## Answers that succeed.
registration-accepted = إذا كان من الممكن إيصال البريد إلى هذا العنوان، فهناك رسالة في الطريق: افتح الرابط الوارد فيها للتحقق من العنوان، ثم سجّل الدخول.

## The WSIS Prizes: phases, nominees, voting, results.
prize-nominees-published = نُشرت قائمة المرشحين النهائيين وجُمّدت.
prize-results-published = نُشرت النتائج وجُمّدت.
prize-nominations-open = باب الترشيحات لا يزال مفتوحًا.
prize-not-accepted = لا تصبح مرشحة نهائيًا إلا الترشيحات المقبولة؛ وحالة هذا الترشيح `{ $status }`.
prize-phase-not-open = تُفتح المرحلة `{ $phase }` في { $opens }.
prize-no-voting = لا تتضمن جوائز هذه الدعوة مرحلة تصويت.
voting-not-open = يبدأ التصويت في { $opens }.
voting-closed = انتهى التصويت في { $closed }.
prize-nominees-unpublished = لم تُنشر قائمة المرشحين النهائيين بعد.
prize-voting-not-closed = ينتهي التصويت في { $closes }؛ وتأتي النتائج بعده.

## Field messages: `field-<code>` is a rule's standard message; the others explain one rule each.
field-invalid_length = بين { $min } و{ $max } حرفًا
field-forbidden_character = لا يُسمح في الاسم بالمحرف { $character } (محرف تحكم أو محرف لتغيير اتجاه النص)
field-undeliverable = لا يمكن إرسال البريد إلى هذا العنوان
field-too_short = استخدم { $min } حرفًا على الأقل
field-too_long = استخدم { $max } حرفًا على الأكثر
field-too_repetitive = استخدم أكثر من بضعة محارف مختلفة
field-too_common = كلمة المرور هذه شائعة جدًا
field-contains_email = لا تضع عنوان بريدك الإلكتروني في كلمة المرور
field-invalid_url = عنوان يبدأ بـ http:// أو https://
field-required = الحقل `{ $name }` مفقود
field-at-least-one-action-line = خط عمل واحد على الأقل
field-at-least-one-sdg = هدف واحد على الأقل من أهداف التنمية المستدامة
field-at-least-one-country = بلد واحد على الأقل، أو global
field-at-least-one-language = لغة واحدة على الأقل
field-global-alone = تُذكر التغطية العالمية (global) وحدها، من دون بلدان
field-end-before-start = تاريخ الانتهاء يسبق تاريخ البدء
field-ocp-at-least-one-part = جزء واحد على الأقل: innovative_ideas أو sdg_alignment أو action_line_feedback أو session_proposals
field-feedback-twice = قُدّمت الملاحظات على خط العمل هذا مرتين
field-stakeholder-balance = جميع المتحدثين من فئة واحدة من أصحاب المصلحة؛ ويفضّل الحدث حلقات النقاش المتعددة أصحاب المصلحة
field-gender-balance = جميع المتحدثين من الجنس نفسه
field-prizes-english-only = تُقدَّم الترشيحات لجوائز القمة العالمية لمجتمع المعلومات باللغة الإنكليزية فقط
field-listed-twice = مذكور مرتين
field-not-valid = { $what }: القيمة `{ $given }` غير صالحة؛ المطلوب { $expected }
field-unknown-field = حقل غير معروف `{ $name }`؛ المطلوب أحد الحقول { $expected }
field-unknown-field-none = حقل غير معروف `{ $name }`؛ لا يُنتظر هنا أي حقل
field-invalid-type = نوع غير صالح: { $found }؛ المطلوب { $expected }
field-invalid-value-of = قيمة غير صالحة: { $found }؛ المطلوب { $expected }
field-invalid-length-of = طول غير صالح: { $found }؛ المطلوب { $expected }
field-unknown-variant = قيمة غير معروفة { $given }؛ المطلوب إحدى القيم { $expected }
field-invalid = قيمة غير صالحة: { $reason }
field-project-nominated = مشروع الحصر المرشَّح
field-prize-category = فئة الجائزة: رقم من 1 إلى 18
field-short-description-words = من 150 إلى 200 كلمة؛ وعدد كلمات هذا النص { $words }
field-pledge-amount = يتضمن التعهد المالي مبلغًا
field-pledge-currency = يتضمن التعهد المالي عملة
field-pledge-in-kind = يوضح التعهد العيني ما يُقدَّم
field-pledge-kind = financial أو in_kind
field-amount-not-decimal = `{ $given }` ليس مبلغًا عشريًا مثل 2500.00
field-amount-too-precise = للعملة { $currency } عدد من المنازل العشرية قدره { $minor_units }؛ والمبلغ `{ $amount }` يتجاوزه
field-amount-not-positive = يجب أن يكون المبلغ أكبر من صفر
field-amount-too-large = المبلغ كبير جدًا
field-conflicting-filters = صفِّ حسب البلد أو حسب المنطقة، لا كليهما
field-needs-q = الترتيب حسب الصلة يخص نتائج البحث: أضف q، أو رتّب حسب newest أو title
field-unknown-time-zone = `{ $given }` ليس اسم منطقة زمنية من IANA
field-not-eligible = رشّح أحد مشاريع الحصر التي قدّمتها منظمتك
field-previous-winner = فاز هذا المشروع بجائزة القمة العالمية لمجتمع المعلومات في { $call }؛ ولا يحق للفائزين السابقين المشاركة
field-at-most-characters = { $max } حرفًا على الأكثر
field-pledge-status = confirmed أو received: يبدأ كل تعهد بالحالة pledged
field-slug-taken = تحمل دعوة أخرى هذا المعرّف
field-one-beneficiary = أعطِ organisation_id أو submission_id، لا كليهما
field-extension-not-later = ينتهي التمديد بعد الموعد النهائي الخاص بالمسار
field-at-least-one-scope = نطاق واحد على الأقل
field-one-per-category = لدى منظمتك بالفعل ترشيح في هذه الفئة
field-already-nominated = هذا المشروع مرشَّح بالفعل في هذه الدعوة
field-give-once = أعطِ `{ $name }` مرة واحدة فقط
field-not-a-language = `{ $given }` ليست إحدى اللغات ar أو zh أو en أو fr أو ru أو es
field-unknown-time-zone-such-as = `{ $given }` ليس اسم منطقة زمنية من IANA مثل Europe/Zurich
field-idempotency-key = من 1 إلى 255 محرفًا قابلًا للطباعة من ASCII (يُعد UUID خيارًا جيدًا)
field-key-reused = استُخدم هذا المفتاح مع طلب مختلف؛ استخدم مفتاحًا جديدًا لكل طلب جديد
field-forbidden-in-query = لا يُسمح بالمحرف { $character } في معامل الاستعلام
field-nul = لا يُسمح بالمحرف NUL ‏(U+0000)
field-password-incorrect = كلمة المرور الحالية غير صحيحة
field-decisions-count = من 1 إلى 100 قرار
field-check-code = قيمة check_code للإيصال كما تظهر فيه
field-cursor = ليس مؤشرًا أعطته هذه الواجهة البرمجية لهذا الترتيب؛ ابدأ من جديد من دونه
field-no-call = لا توجد دعوة `{ $slug }`
field-one-value = يقبل هذا المعامل قيمة واحدة فقط
field-project-status = planned أو ongoing أو completed
field-organisation-id = معرّف منظمة (UUID)
field-rfc3339 = وقت بصيغة RFC 3339 مثل 2025-03-14T00:00:00Z
field-limit = من 1 إلى 200
field-year = سنة مثل 2025
field-unknown-parameter = المعاملات المتاحة هي { $known }، lang
field-export-format = csv أو json (مصفوفة واحدة) أو jsonl ‏(JSON Lines)
field-already-voted = صوت واحد لكل فئة، وهو نهائي
field-not-a-nominee = ليس من المرشحين النهائيين في الفئة { $category } من هذه الدعوة
field-not-a-champion = ليس من أبطال الفئة { $category }
field-invalidation-target = أعطِ votes أو voter أو addresses: الأصوات المراد إبطالها
field-address-range = عنوان IP أو شبكة مثل 203.0.113.0/24
field-project-planned = يُرشَّح المشروع بعد اكتماله أو في نهاية مرحلة رئيسية منه، لا وهو في طور التخطيط
field-earlier-winner = فاز هذا المشروع بجائزة القمة العالمية لمجتمع المعلومات في عام { $year } («{ $title }»)؛ ولا يحق للفائزين السابقين المشاركة
field-prizes-year = سنة من 2012 إلى 2100
field-unknown-organisation = لا توجد منظمة بهذا المعرّف
field-unknown-project = لا يوجد إدخال في الحصر بهذا المعرّف
field-too-few-words = { $min } كلمة على الأقل كما ينص نموذج الدعوة؛ وعدد كلمات هذا النص { $words }

## The names of things (`what-*`) and what is expected of them (`expected-*`), which complete `field-not-valid`.
what-stakeholder-category = فئة أصحاب المصلحة
what-region = المنطقة
what-track = المسار
what-SDG = هدف التنمية المستدامة
what-prize-category = فئة الجائزة
what-sort-order = ترتيب الفرز
what-member-role = دور العضو
what-role = الدور
what-scope = النطاق
what-status = الحالة
what-transition = الانتقال
what-decision = القرار
what-pledge-status = حالة التعهد
what-prize-award = الجائزة الممنوحة
what-coverage-level = مستوى التغطية
what-project-status = حالة المشروع
what-gender = الجنس
what-pledge-kind = نوع التعهد
what-country = البلد
what-currency = العملة
what-action-line = خط العمل
what-e-mail-address = عنوان البريد الإلكتروني
what-language = اللغة
expected-one-of = إحدى القيم { $codes }
expected-number-up-to = رقم من 1 إلى { $max }
expected-country = رمز ISO 3166-1 alpha-2 مثل CH، أو global
expected-currency = رمز ISO 4217 لعملة متداولة مثل CHF
expected-action-line = رمز خط عمل مثل C3 أو C7.e-health
expected-granted-scope = أحد النطاقات الممنوحة لهذا العميل
expected-email = عنوان مثل name@example.org
what-prize-phase = مرحلة الجوائز

## Calls, time rules and track windows.
rule-nonexistent-time = الوقت { $at } غير موجود في { $zone }: تتخطاه الساعة (التوقيت الصيفي)؛ أعطِ لحظة دقيقة بدلًا منه
rule-out-of-range = التاريخ { $date } خارج نطاق التواريخ المدعوم
schedule-opens = الفتح: { $reason }
schedule-closes = الإغلاق: { $reason }
schedule-reversed = يجب أن تُفتح الفترة قبل أن تُغلق (الفتح { $opens_at }، الإغلاق { $closes_at })
schedule-grace-too-long = مهلة السماح البالغة { $seconds } ث تتجاوز الحد الأقصى البالغ { $max } ث
call-slug = من 3 إلى 64 محرفًا من a-z و0-9 وشرطات داخلية
call-year = سنة من 2000 إلى 2100
call-event-ends-before = لا يمكن أن ينتهي الحدث قبل أن يبدأ
call-needs-track = تحتاج الدعوة إلى مسار واحد على الأقل
call-session-format-code = من 2 إلى 40 محرفًا من a-z و0-9 و_، يبدأ بحرف
call-format-twice = `{ $format }` مكرر مرتين
call-too-many-formats = { $max } شكلًا للجلسات على الأكثر
call-ocp-needs-format = تقدّم الدعوة التي تتضمن مسار OCP شكلًا واحدًا على الأقل للجلسات
call-second-track = مسار `{ $kind }` ثانٍ
call-phases-other-track = لا مراحل إلا لمسار الجوائز
call-phase-twice = هذه المرحلة مذكورة مرتين
call-phase-before-nominations = تُفتح المرحلة بعد إغلاق باب الترشيحات
call-phase-order = تُفتح المراحل بترتيبها: review ثم nominees ثم voting ثم results
call-narrative-min-words = { $max } كلمة على الأكثر
