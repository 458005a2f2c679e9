# Problem details and field messages in Chinese. See en.ftl and docs/messages.md.

fields-invalid = { $count } 个字段无效；请查看 `errors`。
internal-error = 服务器未能响应此请求；该错误已被记录。
database-unavailable = 服务当前无法连接其数据库；请稍后重试。
resource-missing = 该资源不存在。
body-unreadable = 无法读取请求正文。

field-invalid_length = { $min } 至 { $max } 个字符
field-forbidden_character = 名称中不允许使用 { $character }（控制字符或双向文本覆盖字符）
field-invalid_email = 电子邮件地址 `{ $given }` 无效：应为类似 name@example.org 的地址
field-undeliverable = 无法向此地址发送邮件
field-unsupported_language = 语言 `{ $given }` 无效：应为 ar、zh、en、fr、ru、es 之一
field-too_short = 请至少使用 { $min } 个字符
field-too_long = 请最多使用 { $max } 个字符
field-too_repetitive = 请使用更多不同的字符
field-too_common = 此密码过于常见
field-contains_email = 请勿在密码中包含您的电子邮件地址
field-invalid_url = 应为以 http:// 或 https:// 开头的地址
field-required = 缺少字段 `{ $name }`
