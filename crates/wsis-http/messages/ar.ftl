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
