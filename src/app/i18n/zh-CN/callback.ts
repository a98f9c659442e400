import type { callbackEn } from '../en/callback';

export const callbackZh = {
  'callback.signIn': '正在完成登录…',
  'callback.signOut': '正在完成退出登录…',
} satisfies Record<keyof typeof callbackEn, string>;
