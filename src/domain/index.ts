export * from './agent.js';
export * from './attachment.js';
export * from './channel.js';
export * from './contact.js';
export * from './conversation.js';
export * from './events.js';
export * from './message.js';
export * from './system-note.js';
