import type { ErrorTextTable } from '../auth-text';

/** The auth errors' sentences in Chinese, by error kind and code, and core's notices (see auth-text.ts). */
export const errorText = {
  kinds: {
    cancelled: {
      title: '登录被中断',
      message: '登录在完成前被中断。点击“重试”会重新打开登录页面。',
    },
    access_denied: {
      title: '访问被拒绝',
      message: '访问被拒绝。你可以重试，或用其他账号登录。',
    },
    network: {
      title: '请检查网络连接',
      message: '无法连接登录服务。请检查网络连接后重试。',
      codes: { auth_module_load_failed: '无法加载登录模块。请检查网络连接后重试。' },
    },
    timeout: {
      title: '等待时间过长',
      message: '登录服务响应时间过长。请检查网络连接后重试。',
      codes: { redirect_timeout: '登录耗时过长，已停止。你可以重试。' },
    },
    invalid_callback: {
      title: '登录响应无效',
      message: '登录响应无效。请重新登录。',
      codes: {
        'sign_in_session.not_found': '此登录响应不属于正在进行的登录。',
        'sign_in_session.invalid': '此登录响应不属于正在进行的登录。',
        'oidc.invalid_grant': '此登录链接已过期或已被使用。请重新登录。',
        'id_token.invalid_iat': '无法验证登录响应。请检查设备时间是否正确。',
        'id_token.*': '无法验证登录响应。',
        id_token_missing: '登录响应没有标识你的身份。请重新登录。',
        callback_not_found: '此登录响应已不可用。请重新登录。',
      },
    },
    session_expired: {
      title: '你的会话已结束，请重新登录',
      message: '为了你的安全，你已在此设备上退出登录。',
      codes: {
        not_authenticated: '你尚未登录。',
        refresh_answer_lost: '续期会话时连接中断；请重新登录。',
      },
    },
    server: {
      title: '登录服务出现问题',
      message: '登录服务出现问题。请稍后重试。',
      codes: { rate_limited: '向登录服务器发出的请求过多。请稍等片刻后重试。' },
    },
    config: {
      title: '登录配置不正确',
      message: '此应用的登录配置不正确。请联系支持人员。',
      codes: {
        missing_scope_organizations: '组织令牌需要在应用配置中加入 organizations 权限范围（urn:logto:scope:organizations）。',
        crypto_subtle_unavailable: '登录需要安全上下文（https 或 localhost）来进行加密运算。',
      },
    },
    unknown: {
      title: '出了点问题',
      message: '登录时出了点问题。请重试。',
      codes: { storage_error: '设备无法读取或写入登录数据。' },
    },
  },
  notices: {
    signOutUnreachable: '你已在此设备上退出登录，但无法连接登录服务来结束那里的会话。',
    signedOutElsewhere: '你已在另一个标签页中退出登录。',
    userCancelled: '你取消了登录。',
    cancelledKeptSession: '你取消了登录。',
    interruptedKeptSession: '登录页面在你完成前被关闭了。',
    providerRefused: '身份提供方拒绝了登录',
    providerError: '身份提供方报告了一个错误',
  },
} satisfies ErrorTextTable;
