import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/runtime/paths.js';

/**
 * Builders for pushes in their documented shapes (接收普通消息 / 接收事件推送), for integration tests
 * that need many distinct ones. Unit tests use the recorded fixtures in test/fixtures/wechat.
 */
export const ACCOUNT = 'gh_3f1c2a9b7d41';

/** A fixture file's XML, e.g. `wechatFixture('text')`. */
export function wechatFixture(name: string): string {
  return readFileSync(join(projectRoot, 'test', 'fixtures', 'wechat', `${name}.xml`), 'utf8');
}

let clock = Math.floor(Date.now() / 1000) - 3_600;
/** Increasing CreateTimes a little in the past, so every push of a test has its own second. */
export const tick = (): number => (clock += 1);

let counter = 0;
/** A fresh 17-digit MsgId (64-bit in WeChat; kept as a string, it exceeds 2^53). */
export const newMsgId = (): string => `246${String(Date.now() % 1_000_000).padStart(6, '0')}${String((counter += 1)).padStart(8, '0')}`;

const cdata = (value: string): string => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

function push(openId: string, type: string, fields: Record<string, string | number>, createTime = tick()): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === 'number' ? value : cdata(value)}</${name}>`)
    .join('\n');
  return `<xml>\n<ToUserName>${cdata(ACCOUNT)}</ToUserName>\n<FromUserName>${cdata(openId)}</FromUserName>\n<CreateTime>${createTime}</CreateTime>\n<MsgType>${cdata(type)}</MsgType>\n${body}\n</xml>`;
}

export const textPush = (openId: string, content: string, msgId = newMsgId(), createTime?: number): string => push(openId, 'text', { Content: content, MsgId: msgId }, createTime);

/**
 * What WeChat pushes when the customer taps an item of a 菜单消息: a text message whose Content is
 * the item's text, plus `<bizmsgmenuid>` = the item's id, in plain text after MsgId (发送客服消息,
 * 菜单消息 example). The same `msgId` and `createTime` again are WeChat retrying that push.
 */
export function menuTapPush(openId: string, item: { id: string; content: string }, msgId = newMsgId(), createTime?: number): string {
  const id = item.id.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return textPush(openId, item.content, msgId, createTime).replace(/\n<\/xml>$/, `\n<bizmsgmenuid>${id}</bizmsgmenuid>\n</xml>`);
}

export const imagePush = (openId: string, mediaId: string, msgId = newMsgId()): string =>
  push(openId, 'image', { PicUrl: `http://mmbiz.qpic.cn/mmbiz_jpg/${mediaId}/0`, MediaId: mediaId, MsgId: msgId });

export const voicePush = (openId: string, mediaId: string, recognition?: string, msgId = newMsgId()): string =>
  push(openId, 'voice', { MediaId: mediaId, Format: 'amr', ...(recognition !== undefined ? { Recognition: recognition } : {}), MsgId: msgId });

export const videoPush = (openId: string, mediaId: string, type: 'video' | 'shortvideo' = 'video', msgId = newMsgId()): string =>
  push(openId, type, { MediaId: mediaId, ThumbMediaId: `thumb_${mediaId}`, MsgId: msgId });

export const locationPush = (openId: string, latitude: number, longitude: number, label: string, msgId = newMsgId()): string =>
  push(openId, 'location', { Location_X: String(latitude), Location_Y: String(longitude), Scale: '15', Label: label, MsgId: msgId });

export const linkPush = (openId: string, link: { title: string; description: string; url: string }, msgId = newMsgId()): string =>
  push(openId, 'link', { Title: link.title, Description: link.description, Url: link.url, MsgId: msgId });

export const eventPush = (openId: string, event: string, eventKey?: string, createTime?: number): string =>
  push(openId, 'event', { Event: event, ...(eventKey !== undefined ? { EventKey: eventKey } : {}) }, createTime);
