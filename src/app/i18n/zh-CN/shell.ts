import type { shellEn } from '../en/shell';

export const shellZh = {
  'shell.chunkFailed.title': '此页面无法加载',
  'shell.chunkFailed.message': '请检查网络连接。恢复联网后会自动加载。',
  'shell.chunkFailed.retry': '重试',
  'shell.chunkFailed.retrying': '正在重试…',
} satisfies Record<keyof typeof shellEn, string>;
