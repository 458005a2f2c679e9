# Problem details and field messages in Chinese. See en.ftl and docs/messages.md.

fields-invalid = { $count } 个字段无效；请查看 `errors`。
internal-error = 服务器未能响应此请求；该错误已被记录。
database-unavailable = 服务当前无法连接其数据库；请稍后重试。
resource-missing = 该资源不存在。
body-unreadable = 无法读取请求正文。
