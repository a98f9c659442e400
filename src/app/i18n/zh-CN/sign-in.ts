import type { signInEn } from '../en/sign-in';

export const signInZh = {
  'signIn.title': '登录',
  'signIn.switchTitle': '切换账号',
  'signIn.lead': '用发送到邮箱的一次性验证码登录或创建账号，无需密码。',
  'signIn.email.label': '邮箱',
  'signIn.email.placeholder': 'name@example.com',
  'signIn.email.helper': '选填。登录页面会预先填好这个地址；你在那里确认后，我们才会发送验证码。',
  'signIn.email.invalid': '请输入有效的邮箱地址，例如 name@example.com。',
  'signIn.continue': '继续',
  'signIn.opening.title': '正在连接登录服务…',
  'signIn.opening.text': '登录服务一有回应，登录页面就会打开。',
  'signIn.browser.title': '请在浏览器中完成登录',
  'signIn.browser.text': '我们已在浏览器中打开登录页面。输入邮箱和我们发送的验证码后，你会回到这里。',
  'signIn.working.exchanging': '正在完成登录…',
  'signIn.working.signingOut': '正在退出登录…',
  'signIn.working.checking': '正在检查登录状态…',
  'signOut.done': '你已退出登录。',
} satisfies Record<keyof typeof signInEn, string>;
