# Problem details and field messages in Arabic. See en.ftl and docs/messages.md.

fields-invalid = { $count ->
    [two] حقلان غير صالحين؛ انظر `errors`.
    [few] { $count } حقول غير صالحة؛ انظر `errors`.
    [many] { $count } حقلًا غير صالح؛ انظر `errors`.
   *[other] { $count } حقل غير صالح؛ انظر `errors`.
}
internal-error = تعذّر على الخادم الرد على هذا الطلب؛ وقد سُجّل الخطأ.
database-unavailable = لا تستطيع الخدمة الوصول إلى قاعدة بياناتها الآن؛ أعد المحاولة بعد قليل.
resource-missing = هذا المورد غير موجود.
body-unreadable = تعذّرت قراءة نص الطلب.

field-invalid_length = بين { $min } و{ $max } حرفًا
field-forbidden_character = لا يُسمح في الاسم بالمحرف { $character } (محرف تحكم أو محرف لتغيير اتجاه النص)
field-invalid_email = عنوان البريد الإلكتروني `{ $given }` غير صالح: المطلوب عنوان مثل name@example.org
field-undeliverable = لا يمكن إرسال البريد إلى هذا العنوان
field-unsupported_language = اللغة `{ $given }` غير صالحة: المطلوب إحدى اللغات ar أو zh أو en أو fr أو ru أو es
field-too_short = استخدم { $min } حرفًا على الأقل
field-too_long = استخدم { $max } حرفًا على الأكثر
field-too_repetitive = استخدم أكثر من بضعة محارف مختلفة
field-too_common = كلمة المرور هذه شائعة جدًا
field-contains_email = لا تضع عنوان بريدك الإلكتروني في كلمة المرور
field-invalid_url = عنوان يبدأ بـ http:// أو https://
field-required = الحقل `{ $name }` مفقود
