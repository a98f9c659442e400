import type { sharedEn } from '../en/shared';

export const sharedZh = {
  'lang.label': '语言',
  'common.cancel': '取消',
  'common.debug': '调试',
  'common.dismiss': '关闭',
  'error.trying': '正在重试…',
  'error.again.unreachable': '仍然没有回应：已于 {time} 重试（共 {attempts} 次）。',
  'error.again.same': '结果相同：已于 {time} 重试（共 {attempts} 次）。',
  'error.code': '错误代码：{code}',
  'error.retry': '重试',
  'error.signIn': '登录',
  'error.staySignedIn': '保持登录',
  'error.unreachable.title': '登录服务没有回应',
  'error.unreachable.message': '你的设备已联网，但登录服务没有回应，可能暂时无法使用。请稍后重试。',
  'session.stillSignedIn.before': '你仍以 ',
  'session.stillSignedIn.after': ' 的身份登录。',
} satisfies Record<keyof typeof sharedEn, string>;
