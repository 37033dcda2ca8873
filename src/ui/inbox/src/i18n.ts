import { priorities, type Message, type Priority } from './types.js';

/**
 * Every string the inbox shows, in English and Simplified Chinese. `zh` is typed against the keys
 * of `en`, so a key missing from (or extra in) either dictionary is a type error.
 */

const en = {
  'app.name': 'Switchboard',

  'nav.main': 'Main navigation',
  'nav.inbox': 'Inbox',
  'nav.agents': 'Agents',
  'nav.channels': 'Channels',
  'nav.teams': 'Teams',

  'shell.signOut': 'Sign out',
  'shell.language': 'Language',
  'shell.reconnecting': 'Reconnecting…',
  'shell.reconnectingTitle': 'Live updates are interrupted. Switchboard reconnects by itself and catches up on what was missed.',
  'shell.help': 'Keyboard shortcuts',
  'shell.signedInAs': 'Signed in as {name} ({role})',

  'role.admin': 'Admin',
  'role.agent': 'Agent',

  'login.title': 'Sign in',
  'login.subtitle': 'The shared inbox for your support team.',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.required': 'Enter your email and password.',
  'login.footer': 'Web chat, email, Telegram, Discord, X and WeChat in one place.',

  'boot.failed': 'Switchboard could not start',
  'boot.retry': 'Try again',
  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.close': 'Close',
  'common.none': '—',
  'common.yes': 'Yes',
  'common.no': 'No',

  'errors.network': 'Cannot reach the server. Check your connection and try again.',
  'errors.generic': 'Something went wrong. Please try again.',
  'errors.invalidCredentials': 'Wrong email or password.',
  'errors.sessionExpired': 'Your session has ended. Please sign in again.',
  'errors.csrf': 'Your session is out of date. Reload the page and try again.',
  'errors.forbidden': 'You are not allowed to do this.',
  'errors.server': 'The server had a problem ({message}).',
  'errors.fileTooBig': '{name} is larger than 10 MB.',
  'errors.fileType': '{name}: this type of file cannot be sent. Allowed: PNG, JPEG, GIF, WebP, PDF, MP4, ZIP, text, CSV, JSON.',
  'errors.uploadFailed': 'Could not upload {name}: {message}',
  'errors.waitUploads': 'Wait until the attachments have finished uploading.',
  'errors.tooManyFiles': 'At most 10 attachments per message.',
  'errors.noAttachments': 'This channel cannot send attachments. Use a private note or send a link.',
  'errors.sendFailed': 'Your message was not sent: {message}. It is back in the composer.',
  'errors.conversationGone': 'This conversation does not exist or was removed.',

  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.snoozed': 'Snoozed',
  'status.resolved': 'Resolved',
  'priority.low': 'Low',
  'priority.normal': 'Normal',
  'priority.high': 'High',
  'priority.urgent': 'Urgent',
  'kind.webchat': 'Web chat',
  'kind.email': 'Email',
  'kind.telegram': 'Telegram',
  'kind.discord': 'Discord',
  'kind.x': 'X',
  'kind.wechat': 'WeChat',
  'msgStatus.received': 'Received',
  'msgStatus.queued': 'Queued',
  'msgStatus.sending': 'Sending…',
  'msgStatus.sent': 'Sent',
  'msgStatus.failed': 'Failed',
  'health.ok': 'Connected',
  'health.starting': 'Starting',
  'health.error': 'Error',
  'health.paused': 'Paused',
  'health.unknown': 'Unknown',

  'time.now': 'now',
  'time.m': '{n} m',
  'time.h': '{n} h',
  'time.d': '{n} d',
  'time.ago': '{d} ago',
  'time.justNow': 'just now',
  'time.today': 'Today',
  'time.yesterday': 'Yesterday',

  'list.label': 'Conversations',
  'list.title': 'Inbox',
  'list.search': 'Search conversations…',
  'list.searchLabel': 'Search conversations',
  'list.filters': 'Filters',
  'filter.status': 'Status',
  'filter.allStatuses': 'All statuses',
  'filter.channel': 'Channel',
  'filter.allChannels': 'All channels',
  'filter.assignee': 'Assignee',
  'filter.anyone': 'Anyone',
  'filter.mine': 'Mine',
  'filter.unassigned': 'Unassigned',
  'filter.priority': 'Priority',
  'filter.anyPriority': 'Any priority',
  'filter.label': 'Label',
  'filter.labelPlaceholder': 'Label…',
  'filter.clear': 'Clear filters',
  'filter.breached': 'Breached',
  'filter.breachedTitle': 'Only conversations past a service-level target',
  'filter.team': 'Team',
  'filter.anyTeam': 'All teams',
  'filter.noTeam': 'No team',
  'filter.escalated': 'Escalated',
  'filter.escalatedTitle': 'Only escalated conversations: those handed to a supervisor, and urgent cases',
  'filter.csat': 'Rating',
  'filter.anyCsat': 'Any rating',
  'filter.csat.rated': 'Rated',
  'filter.csat.unrated': 'Not rated',
  'filter.csat.low': 'Low (1–2)',
  'filter.csat.high': 'High (4–5)',
  'sort.label': 'Sort',
  'sort.activity': 'Newest activity',
  'sort.due': 'Due soonest',
  'list.emptyTitle': 'No conversations',
  'list.emptyFiltered': 'Nothing matches these filters. Try another status or clear the filters.',
  'list.emptyOpen': 'All caught up. New conversations appear here as soon as customers write.',
  'list.emptyBreached': 'No conversation is past a service-level target.',
  'list.emptyEscalated': 'No conversation is escalated.',
  'list.emptyCsatLow': 'No conversation with a low rating (1–2) matches.',
  'list.loadingMore': 'Loading more…',
  'list.end': 'No more conversations',
  'list.loadFailed': 'Could not load conversations: {message}',
  'list.waitingTitle': 'The customer has waited for an answer since {time}',
  'list.unread': 'Unread',
  'list.assignedTo': 'Assigned to {name}',
  'list.noPreview': 'No messages yet',
  'list.moreLabels': '+{n}',
  'list.escalatedLevel': 'Level {level}',

  'view.emptyTitle': 'No conversation selected',
  'view.emptyText': 'Pick a conversation from the list, or use j and k to move through it.',
  'view.emptyHint': 'Press ? to see all keyboard shortcuts.',
  'view.loadOlder': 'Load older messages',
  'view.loadingOlder': 'Loading older messages…',
  'view.beginning': 'Start of the conversation',
  'view.newMessages': 'New messages',
  'view.noMessages': 'No messages in this conversation yet.',
  'view.privateNote': 'Private note',
  'view.bot': 'Bot',
  'view.retry': 'Retry',
  'view.retrying': 'Retrying…',
  'view.retried': 'The reply is queued again.',
  'view.openImage': 'Open {name} in a new tab',
  'view.download': 'Download {name}',
  'view.image': 'Image',
  'view.file': 'File',
  'view.location': 'Location',
  'view.emailShow': 'Show original email',
  'view.emailHide': 'Hide original email',
  'view.emailLoading': 'Loading the original email…',
  'view.emailFrameTitle': 'Original email',
  'view.emailRemoteBlocked': 'Remote images are blocked: loading them tells the sender you read the email.',
  'view.emailRemoteShow': 'Show remote images',
  'view.showPanel': 'Show customer details',
  'view.hidePanel': 'Hide customer details',
  'view.back': 'Back to the list',
  'view.messages': 'Messages',
  'view.deliveryFailed': 'Delivery failed',
  'view.via': 'via {channel}',
  'view.subject': 'Subject: {subject}',
  'view.edited': 'edited {time}',
  'view.editedTitle': 'The customer edited this message on {time}; this is the current text.',
  'view.deleted': 'message deleted {time}',
  'view.deletedTitle': 'The customer deleted this message on {time}; the text is kept here for the record.',
  'view.unreachable': 'The customer cannot be reached on this channel since {time}: replies will not be delivered.',
  'view.choiceOptions': 'Options the customer was offered',
  'view.choiceOptionTitle': 'What the customer sees; only the customer can pick it',
  'view.picked': 'picked {choice}',
  'view.pickedTitle': 'The customer picked this option',

  'actions.resolve': 'Resolve',
  'actions.reopen': 'Reopen',
  'actions.snooze': 'Snooze',
  'actions.snooze1h': 'For 1 hour',
  'actions.snoozeTomorrow': 'Tomorrow, 9:00',
  'actions.snoozeNextWeek': 'Next week',
  'actions.snoozedUntil': 'Snoozed until {time}',
  'actions.assignMe': 'Assign to me',
  'actions.assignee': 'Assignee',
  'actions.unassigned': 'Unassigned',
  'actions.priority': 'Priority',
  'actions.labels': 'Labels',
  'actions.addLabel': 'Add label',
  'actions.removeLabel': 'Remove label {label}',
  'actions.labelInvalid': 'Labels cannot contain spaces or commas.',
  'actions.labelTooLong': 'A label can have at most 50 characters.',
  'actions.labelDuplicate': 'This label is already set.',
  'actions.labelMax': 'At most 20 labels.',
  'actions.resolved': 'Conversation resolved.',
  'actions.reopened': 'Conversation reopened.',
  'actions.snoozed': 'Snoozed until {time}.',
  'actions.inactive': '{name} (deactivated)',
  'actions.toolbar': 'Conversation actions',
  'actions.team': 'Team',
  'actions.noTeam': 'No team',
  'escalate.action': 'Escalate',
  'escalate.menu': 'Escalate to a supervisor',
  'escalate.hint': 'One level up: the team’s supervisor, then the supervisor of the team above. The customer is told a manager took over.',
  'escalate.reason.complaint': 'Complaint',
  'escalate.reason.security': 'Security issue',
  'escalate.reason.refund': 'Refund',
  'escalate.reason.other': 'Other',
  'escalate.done': 'Escalated to {name} (level {level}).',
  'escalate.noSupervisor': 'Nobody to escalate to: this conversation’s team has no supervisor above the current level. An admin can set one, or a parent team, on the Teams page.',
  'escalate.noTeam': 'Nobody to escalate to: this conversation has no team. Move it to a team first.',
  'escalate.meanwhile': 'Someone else escalated this conversation meanwhile; it now shows who has it.',

  'composer.mode': 'Message type',
  'composer.reply': 'Reply',
  'composer.note': 'Private note',
  'composer.placeholderReply': 'Reply to {name}…',
  'composer.placeholderNote': 'Write a private note — only your team sees it…',
  'composer.send': 'Send',
  'composer.addNote': 'Add note',
  'composer.attach': 'Attach files',
  'composer.removeAttachment': 'Remove {name}',
  'composer.uploading': 'Uploading…',
  'composer.split': 'Will be sent as {n} messages',
  'composer.windowLeft': '{channel}: {d} left to reply',
  'composer.windowClosed': '{channel}: the reply window closed {d} ago — replies may not be delivered until the customer writes again',
  'composer.noteHint': 'Only agents see private notes.',
  'composer.hint': 'Enter to send · Shift+Enter for a new line',

  'customer.title': 'Customer',
  'customer.identities': 'Channels',
  'customer.noIdentities': 'No channel identities.',
  'customer.other': 'Other conversations',
  'customer.noOther': 'No other conversations with this customer.',
  'customer.details': 'Conversation',
  'customer.created': 'Started',
  'customer.firstResponse': 'First response',
  'customer.lastCustomerMessage': 'Last customer message',
  'customer.id': 'ID',
  'customer.unknownChannel': 'Channel {id}',
  'customer.panel': 'Customer details',
  'transfer.title': 'Transfer details',
  'transfer.none': 'No transaction hash, address or amount in this conversation yet.',
  'transfer.tx': 'Transaction',
  'transfer.address': 'Address',
  'transfer.amount': 'Amount',
  'transfer.copy': 'Copy',
  'transfer.copied': 'Copied',
  'transfer.copyFailed': 'Could not copy: select the text instead.',
  'chain.bitcoin': 'Bitcoin explorer',
  'chain.evm': 'Etherscan',
  'chain.tron': 'Tronscan',
  'chain.solana': 'Solscan',
  'escalation.notify': 'Urgent: {name}',
  'escalation.secret-exposed': 'The customer exposed a recovery phrase or key. It was removed; they were warned.',
  'escalation.triage': 'The customer reports theft, a hacked account or a scam.',
  'escalation.banner': 'Urgent case',
  'escalation.level': 'Escalated · level {level}',
  'escalation.detail': 'to {assignee} by {name}: {reason}',
  'escalation.notifyYou': 'Escalated to you: {name}',
  'escalation.notifyBody': '{name} escalated it: {reason}',
  'errors.unsafeContent': 'This reply was not sent: support never asks for a recovery phrase, private key, password or verification code, and a reply may not contain one. Ask for the transaction hash, the address or the time instead.',

  'agents.title': 'Agents',
  'agents.subtitle': 'People who can sign in to this inbox.',
  'agents.name': 'Name',
  'agents.email': 'Email',
  'agents.role': 'Role',
  'agents.status': 'Status',
  'agents.added': 'Added',
  'agents.active': 'Active',
  'agents.inactive': 'Deactivated',
  'agents.deactivate': 'Deactivate',
  'agents.reactivate': 'Reactivate',
  'agents.you': 'You',
  'agents.cannotSelf': 'You cannot deactivate yourself.',
  'agents.invite': 'Add an agent',
  'agents.inviteText': 'They sign in with this email and the initial password. Share the password over a secure channel.',
  'agents.password': 'Initial password',
  'agents.passwordHint': 'At least 8 characters.',
  'agents.generate': 'Generate',
  'agents.create': 'Create agent',
  'agents.creating': 'Creating…',
  'agents.created': '{name} can now sign in.',
  'agents.deactivated': '{name} was deactivated and signed out everywhere.',
  'agents.reactivated': '{name} was reactivated.',
  'agents.passwordShort': 'The password needs at least 8 characters.',
  'agents.invalidEmail': 'Enter a valid email address.',
  'agents.nameRequired': 'Enter a name.',
  'agents.empty': 'No agents yet.',
  'agents.count': '{n} agents · {active} active',

  'channels.title': 'Channels',
  'teams.title': 'Teams',
  'teams.subtitle': 'Who works which channels, who takes escalations, and how many conversations each member holds at once.',
  'teams.readOnly': 'Only admins can change teams.',
  'teams.count': '{n} teams',
  'teams.empty': 'No teams yet. Without one, conversations are not auto-assigned and cannot be escalated.',
  'teams.refresh': 'Refresh',
  'teams.name': 'Name',
  'teams.team': 'Team',
  'teams.supervisor': 'Supervisor',
  'teams.supervisorHint': 'Takes the team’s escalations (level 1).',
  'teams.noSupervisor': 'No supervisor',
  'teams.members': 'Members',
  'teams.membersHint': 'Tick who belongs to the team and how many open or pending conversations each holds at once.',
  'teams.noMembers': 'No members',
  'teams.memberToggle': '{name} is a member',
  'teams.capacity': 'Capacity',
  'teams.capacityFor': 'Capacity of {name}',
  'teams.capacityShort': 'max {n}',
  'teams.memberTitle': '{name}: up to {n} conversations at once · {state}',
  'teams.online': 'online',
  'teams.offline': 'offline',
  'teams.channels': 'Channels',
  'teams.channelsHint': 'New conversations on these channels join the team (when two teams list one, the older team gets them).',
  'teams.channelIds': 'These channels',
  'teams.channelKinds': 'Every channel of a kind',
  'teams.kindAll': 'Every {kind} channel',
  'teams.unknownChannel': '{id} (not configured)',
  'teams.noChannels': 'No channels',
  'teams.parent': 'Parent team',
  'teams.parentHint': 'Its supervisor takes the next level of escalation.',
  'teams.noParent': 'None (top level)',
  'teams.under': 'Under {team}',
  'teams.autoAssign': 'Auto-assign',
  'teams.autoAssignHint': 'Hand waiting conversations round-robin to members who have the inbox open and are under their capacity.',
  'teams.unknownAgent': 'Agent {id}',
  'teams.unknownTeam': 'Team {id}',
  'teams.add': 'Add a team',
  'teams.editTitle': 'Edit {name}',
  'teams.create': 'Create team',
  'teams.creating': 'Creating…',
  'teams.save': 'Save changes',
  'teams.saving': 'Saving…',
  'teams.cancel': 'Cancel',
  'teams.edit': 'Edit',
  'teams.delete': 'Delete',
  'teams.deleteTitle': 'Delete the team {name}?',
  'teams.deleteText': 'Its conversations stay where they are, without a team. Who they are assigned or escalated to does not change.',
  'teams.deleteConfirm': 'Delete team',
  'teams.created': 'The team {name} was created.',
  'teams.saved': 'The team {name} was saved.',
  'teams.deleted': 'The team {name} was deleted.',
  'teams.nameRequired': 'Enter a name.',
  'teams.nameTaken': 'A team with this name exists already.',
  'teams.parentLoop': 'A team cannot be placed under itself or a team below it.',
  'teams.capacityInvalid': 'A capacity is a whole number from 0 to 1000.',
  'teams.actions': 'Actions',
  'nav.desk': 'Desk settings',
  'desk.title': 'Desk settings',
  'desk.subtitle': 'Service levels, the response-time promise and escalation on a missed target. Changes apply to every process within seconds.',
  'desk.readOnly': 'Only admins can change the desk settings.',
  'desk.refresh': 'Refresh',
  'desk.behaviour': 'Automatic replies and escalation',
  'desk.toggle.autoAck': 'Acknowledge new conversations with the expected response time',
  'desk.toggle.escalateOnBreach': 'Escalate automatically when a target is missed',
  'desk.editedBy': 'Edited by {name} at {time}',
  'desk.someone': 'an admin',
  'desk.fromFile': 'As set in the channels file',
  'desk.saved': 'The settings were saved.',
  'desk.resetDone': 'The settings are back to the channels file.',
  'desk.sla': 'Service levels',
  'desk.timezone': 'Time zone',
  'desk.timezoneHint': 'An IANA time zone, such as Asia/Shanghai or Europe/Berlin; business hours and holidays are in it.',
  'desk.businessHours': 'Business hours',
  'desk.allDay': 'Around the clock (24/7)',
  'desk.setHours': 'Only these hours',
  'desk.hoursHint': 'Days such as mon-fri or sat, hours such as 09:00-18:00 (several: 09:00-12:00,13:00-18:00).',
  'desk.days': 'Days',
  'desk.hours': 'Hours',
  'desk.addHours': 'Add opening hours',
  'desk.remove': 'Remove',
  'desk.holidays': 'Holidays',
  'desk.holiday': 'Holiday',
  'desk.addHoliday': 'Add a holiday',
  'desk.responseTargets': 'Response targets',
  'desk.targetsHint': 'How soon each kind of channel promises a first answer, such as 90s, 15m, 4h or 2d. Empty: the default shown.',
  'desk.otherTargets': 'Also set for single channels: {list}',
  'desk.policies': 'Policies',
  'desk.policiesHint': 'The first policy that fits a conversation applies; leave a match empty to fit every conversation.',
  'desk.noPolicies': 'No policies: conversations have no targets.',
  'desk.policyName': 'Name',
  'desk.up': 'Move up',
  'desk.down': 'Move down',
  'desk.removePolicy': 'Remove the policy {name}',
  'desk.matchPriority': 'Priority',
  'desk.matchChannel': 'Channels (ids or kinds)',
  'desk.matchLabels': 'Labels',
  'desk.metric.firstResponse': 'First response',
  'desk.metric.nextResponse': 'Next response',
  'desk.metric.resolution': 'Resolution',
  'desk.always': 'Count every hour, not only business hours',
  'desk.addPolicy': 'Add a policy',
  'desk.targetHint': 'A first or next response of “channel” uses the channel’s response target.',
  'desk.reset': 'Reset to the channels file',
  'desk.save': 'Save service levels',
  'desk.saving': 'Saving…',
  'desk.safety': 'Wallet safety',
  'desk.safetyHint': 'Shown as set; change it in the channels file or through the API.',
  'channels.subtitle': 'Where customers reach you. Channels are configured on the server; secrets are never shown here.',
  'channels.name': 'Name',
  'channels.status': 'Status',
  'channels.lastError': 'Last error',
  'channels.checked': 'Checked {d}',
  'channels.neverChecked': 'Not checked yet',
  'channels.textLimit': 'Text limit',
  'channels.chars': '{n} characters',
  'channels.replyWindow': 'Reply window',
  'channels.noWindow': 'No limit',
  'channels.hours': '{n} h',
  'channels.attachments': 'Attachments',
  'channels.formats': 'Formats',
  'channels.refresh': 'Refresh',
  'channels.empty': 'No channels are configured.',

  'forbidden.title': 'Not allowed',
  'forbidden.text': 'Only admins can open this page. Ask an admin if you need access.',
  'forbidden.back': 'Back to the inbox',

  'help.title': 'Keyboard shortcuts',
  'help.next': 'Next conversation',
  'help.prev': 'Previous conversation',
  'help.reply': 'Write a reply',
  'help.note': 'Write a private note',
  'help.resolve': 'Resolve the conversation',
  'help.search': 'Search conversations',
  'help.help': 'Show this help',
  'help.esc': 'Close a dialog or leave a field',
  'help.send': 'Send',
  'help.newline': 'New line',
  'help.list': 'Anywhere in the inbox',
  'help.composer': 'In the composer',
  'help.note2': 'Shortcuts do not work while you are typing in a field.',

  'toast.dismiss': 'Dismiss',

  'sys.took': '{name} took the conversation',
  'sys.assigned': '{name} assigned the conversation to {other}',
  'sys.unassigned': '{name} unassigned the conversation',
  'sys.snoozed': '{name} snoozed the conversation until {time}',
  'sys.reopened': '{name} reopened the conversation',
  'sys.opened': '{name} opened the conversation',
  'sys.pending': '{name} marked the conversation pending',
  'sys.resolved': '{name} resolved the conversation',
  'sys.priority': '{name} set the priority to {priority}',
  'sys.labels': '{name} set labels: {labels}',
  'sys.noLabels': '{name} removed all labels',
  'sys.escalated': '{name} escalated the conversation: {reason}',
  'sys.escalated.secret-exposed': 'a recovery phrase or private key was exposed',
  'sys.escalated.triage': 'the customer reports an urgent case (such as stolen funds)',
  'sys.slaBreached': 'The {metric} target of the “{policy}” service level was missed',
  'sys.escalatedTo': '{name} escalated the conversation to {assignee} (level {level}): {reason}',
  'sys.escalated.complaint': 'a complaint',
  'sys.escalated.security': 'a security issue',
  'sys.escalated.refund': 'a refund',
  'sys.escalated.other': 'another reason',
  'sys.escalated.sla-breach': 'a service-level target was missed',
  'sys.team': '{name} moved the conversation to the team {team}',
  'sys.teamCleared': '{name} took the conversation out of its team',
  'sys.csatRated': 'The customer rated this conversation {rating}/5 ({via})',
  'sys.csatComment': 'The customer added a comment to their rating',
  'sys.csatLow': 'A low rating ({rating}/5) reopened the conversation',
  'sys.csatLowTo': 'A low rating ({rating}/5) reopened the conversation for {assignee}',
  'sys.botAnswered': 'The FAQ bot answered with “{article}”',
  'bot.chip': 'Bot',
  'bot.chipTitle': 'The FAQ bot is answering this conversation',
  'bot.banner': 'The FAQ bot is answering this customer from the knowledge base.',
  'bot.bannerHint': 'It hands over by itself when they ask for a person or it has no answer.',
  'bot.takeOver': 'Take over',
  'bot.takenOver': 'You took the conversation over from the bot',
  'sys.botSolved': 'The customer confirmed “{article}” solved it; the FAQ bot resolved the conversation',
  'sys.handedOff': 'The FAQ bot handed the conversation to the team: {reason}',
  'sys.handedOffBy': '{name} took the conversation over from the FAQ bot',
  'handoff.asked': 'the customer asked for a person',
  'handoff.no-answer': 'no article answered the question',
  'handoff.urgent': 'an urgent case',
  'handoff.taken-over': 'an agent took over',
  'handoff.unsolved': 'its answers did not solve it',
  'csat.via.tap': 'tapped',
  'csat.via.text': 'typed',
  'csat.via.link': 'email link',
  'csat.label': 'Rated {rating} of 5',
  'csat.title': 'Customer rating',
  'csat.how.tap': 'Tapped in the chat on {time}',
  'csat.how.text': 'Typed as a reply on {time}',
  'csat.how.link': 'Chosen through the email link on {time}',
  'csat.how.unknown': 'Rated on {time}',
  'csat.comment': 'Customer’s comment',
  'sys.deskSla': 'Service levels',
  'sys.deskRouting': 'Auto-assignment',
  'sla.metric.firstResponse': 'first response',
  'sla.metric.nextResponse': 'next response',
  'sla.metric.resolution': 'resolution',
  'sla.clock.firstResponse': 'First response',
  'sla.clock.nextResponse': 'Next response',
  'sla.clock.resolution': 'Resolution',
  'sla.short.second': '{n}s',
  'sla.short.minute': '{n}m',
  'sla.short.hour': '{n}h',
  'sla.short.day': '{n}d',
  'sla.badge.paused': 'Paused',
  'sla.label.dueIn': '{metric} due in {time}',
  'sla.label.overdue': '{metric} overdue by {time}',
  'sla.label.paused': '{metric} paused, {time} left',
  'sla.label.pausedOverdue': '{metric} paused, overdue by {time}',
  'sla.clocks': 'Service-level targets',
  'sla.policy': 'Service level “{policy}”',
  'sla.businessHours': 'Counted in business hours',
  'sla.aroundTheClock': 'Counted around the clock',
  'sla.at.due': 'due {time}',
  'sla.at.breached': 'breached {time}',
  'sla.at.paused': 'paused, {time} left',
  'sla.at.pausedBreached': 'paused, breached {time}',
  'sla.at.pausedOverdue': 'paused, overdue by {time}',
  'sla.at.met': 'met {time}',
  'sla.at.metLate': 'met {time}, late (due {due})',
  'sys.deskSafety': 'Wallet safety',
  'sys.blocked': 'The customer blocked the bot',
  'sys.unblocked': 'The customer unblocked the bot',
  'sys.subscribed': 'The customer followed the account',
  'sys.subscribedFrom': 'The customer followed the account ({detail})',
  'sys.unsubscribed': 'The customer unfollowed the account: messages cannot reach them until they follow again',
  'sys.menu': 'The customer used the menu: {detail}',
  'sys.channelEvent': 'Channel event: {detail}',
} as const;

export type MessageKey = keyof typeof en;
type Dictionary = { readonly [K in MessageKey]: string };

const zh: Dictionary = {
  'app.name': 'Switchboard',

  'nav.main': '主导航',
  'nav.inbox': '收件箱',
  'nav.agents': '客服人员',
  'nav.channels': '渠道',
  'nav.teams': '团队',

  'shell.signOut': '退出登录',
  'shell.language': '语言',
  'shell.reconnecting': '正在重新连接…',
  'shell.reconnectingTitle': '实时更新已中断。Switchboard 会自动重新连接并补上错过的内容。',
  'shell.help': '键盘快捷键',
  'shell.signedInAs': '当前登录：{name}（{role}）',

  'role.admin': '管理员',
  'role.agent': '客服',

  'login.title': '登录',
  'login.subtitle': '为你的客服团队准备的共享收件箱。',
  'login.email': '邮箱',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.required': '请输入邮箱和密码。',
  'login.footer': '网页聊天、邮件、Telegram、Discord、X 和微信，集中在一处处理。',

  'boot.failed': 'Switchboard 无法启动',
  'boot.retry': '重试',
  'common.loading': '加载中…',
  'common.retry': '重试',
  'common.close': '关闭',
  'common.none': '—',
  'common.yes': '是',
  'common.no': '否',

  'errors.network': '无法连接服务器，请检查网络后重试。',
  'errors.generic': '出了点问题，请重试。',
  'errors.invalidCredentials': '邮箱或密码错误。',
  'errors.sessionExpired': '登录已失效，请重新登录。',
  'errors.csrf': '会话已过期，请刷新页面后重试。',
  'errors.forbidden': '你没有权限执行此操作。',
  'errors.server': '服务器出现问题（{message}）。',
  'errors.fileTooBig': '{name} 超过 10 MB。',
  'errors.fileType': '{name}：不支持发送此类文件。支持：PNG、JPEG、GIF、WebP、PDF、MP4、ZIP、文本、CSV、JSON。',
  'errors.uploadFailed': '无法上传 {name}：{message}',
  'errors.waitUploads': '请等待附件上传完成。',
  'errors.tooManyFiles': '每条消息最多 10 个附件。',
  'errors.noAttachments': '此渠道不能发送附件。请改用内部备注或发送链接。',
  'errors.sendFailed': '消息未发送：{message}。内容已放回输入框。',
  'errors.conversationGone': '该会话不存在或已被删除。',

  'status.open': '处理中',
  'status.pending': '待定',
  'status.snoozed': '已延后',
  'status.resolved': '已解决',
  'priority.low': '低',
  'priority.normal': '普通',
  'priority.high': '高',
  'priority.urgent': '紧急',
  'kind.webchat': '网页聊天',
  'kind.email': '邮件',
  'kind.telegram': 'Telegram',
  'kind.discord': 'Discord',
  'kind.x': 'X',
  'kind.wechat': '微信',
  'msgStatus.received': '已接收',
  'msgStatus.queued': '排队中',
  'msgStatus.sending': '发送中…',
  'msgStatus.sent': '已发送',
  'msgStatus.failed': '发送失败',
  'health.ok': '已连接',
  'health.starting': '启动中',
  'health.error': '错误',
  'health.paused': '已暂停',
  'health.unknown': '未知',

  'time.now': '刚刚',
  'time.m': '{n} 分钟',
  'time.h': '{n} 小时',
  'time.d': '{n} 天',
  'time.ago': '{d}前',
  'time.justNow': '刚刚',
  'time.today': '今天',
  'time.yesterday': '昨天',

  'list.label': '会话',
  'list.title': '收件箱',
  'list.search': '搜索会话…',
  'list.searchLabel': '搜索会话',
  'list.filters': '筛选',
  'filter.status': '状态',
  'filter.allStatuses': '全部状态',
  'filter.channel': '渠道',
  'filter.allChannels': '全部渠道',
  'filter.assignee': '负责人',
  'filter.anyone': '所有人',
  'filter.mine': '我的',
  'filter.unassigned': '未分配',
  'filter.priority': '优先级',
  'filter.anyPriority': '全部优先级',
  'filter.label': '标签',
  'filter.labelPlaceholder': '标签…',
  'filter.clear': '清除筛选',
  'filter.breached': '已超时',
  'filter.breachedTitle': '仅显示已超出服务级别目标的会话',
  'filter.team': '团队',
  'filter.anyTeam': '所有团队',
  'filter.noTeam': '无团队',
  'filter.escalated': '已升级',
  'filter.escalatedTitle': '仅显示已升级的会话：已转交主管的会话和紧急案件',
  'filter.csat': '评分',
  'filter.anyCsat': '任意评分',
  'filter.csat.rated': '已评分',
  'filter.csat.unrated': '未评分',
  'filter.csat.low': '低分（1–2）',
  'filter.csat.high': '高分（4–5）',
  'sort.label': '排序',
  'sort.activity': '最新动态',
  'sort.due': '最先到期',
  'list.emptyTitle': '没有会话',
  'list.emptyFiltered': '没有符合这些条件的会话。换个状态试试，或清除筛选。',
  'list.emptyOpen': '都处理完了。客户发来消息后，新会话会立即出现在这里。',
  'list.emptyBreached': '没有超出服务级别目标的会话。',
  'list.emptyEscalated': '没有已升级的会话。',
  'list.emptyCsatLow': '没有符合条件的低分（1–2）会话。',
  'list.loadingMore': '正在加载更多…',
  'list.end': '没有更多会话了',
  'list.loadFailed': '无法加载会话：{message}',
  'list.waitingTitle': '客户自 {time} 起一直在等待回复',
  'list.unread': '未读',
  'list.assignedTo': '负责人：{name}',
  'list.noPreview': '暂无消息',
  'list.moreLabels': '+{n}',
  'list.escalatedLevel': '第 {level} 级',

  'view.emptyTitle': '未选择会话',
  'view.emptyText': '从列表中选择一个会话，或用 j 和 k 上下切换。',
  'view.emptyHint': '按 ? 查看全部键盘快捷键。',
  'view.loadOlder': '加载更早的消息',
  'view.loadingOlder': '正在加载更早的消息…',
  'view.beginning': '会话开始',
  'view.newMessages': '新消息',
  'view.noMessages': '此会话还没有消息。',
  'view.privateNote': '内部备注',
  'view.bot': '机器人',
  'view.retry': '重试',
  'view.retrying': '正在重试…',
  'view.retried': '回复已重新排队发送。',
  'view.openImage': '在新标签页中打开 {name}',
  'view.download': '下载 {name}',
  'view.image': '图片',
  'view.file': '文件',
  'view.location': '位置',
  'view.emailShow': '显示原始邮件',
  'view.emailHide': '隐藏原始邮件',
  'view.emailLoading': '正在加载原始邮件…',
  'view.emailFrameTitle': '原始邮件',
  'view.emailRemoteBlocked': '已阻止远程图片：加载它们会让发件人知道您已阅读此邮件。',
  'view.emailRemoteShow': '显示远程图片',
  'view.showPanel': '显示客户信息',
  'view.hidePanel': '隐藏客户信息',
  'view.back': '返回列表',
  'view.messages': '消息',
  'view.deliveryFailed': '发送失败',
  'view.via': '来自{channel}',
  'view.subject': '主题：{subject}',
  'view.edited': '已编辑 {time}',
  'view.editedTitle': '客户于 {time} 编辑了此消息；这是当前内容。',
  'view.deleted': '消息已删除 {time}',
  'view.deletedTitle': '客户于 {time} 删除了此消息；此处保留原文以备查。',
  'view.unreachable': '自 {time} 起无法通过此渠道联系到客户：回复将无法送达。',
  'view.choiceOptions': '向客户提供的选项',
  'view.choiceOptionTitle': '客户看到的选项，只有客户可以选择',
  'view.picked': '选择了 {choice}',
  'view.pickedTitle': '客户选择了此选项',

  'actions.resolve': '标记为已解决',
  'actions.reopen': '重新打开',
  'actions.snooze': '延后',
  'actions.snooze1h': '1 小时后',
  'actions.snoozeTomorrow': '明天 9:00',
  'actions.snoozeNextWeek': '下周',
  'actions.snoozedUntil': '延后至 {time}',
  'actions.assignMe': '分配给我',
  'actions.assignee': '负责人',
  'actions.unassigned': '未分配',
  'actions.priority': '优先级',
  'actions.labels': '标签',
  'actions.addLabel': '添加标签',
  'actions.removeLabel': '移除标签 {label}',
  'actions.labelInvalid': '标签不能包含空格或逗号。',
  'actions.labelTooLong': '标签最多 50 个字符。',
  'actions.labelDuplicate': '已有此标签。',
  'actions.labelMax': '最多 20 个标签。',
  'actions.resolved': '会话已解决。',
  'actions.reopened': '会话已重新打开。',
  'actions.snoozed': '已延后至 {time}。',
  'actions.inactive': '{name}（已停用）',
  'actions.toolbar': '会话操作',
  'actions.team': '团队',
  'actions.noTeam': '无团队',
  'escalate.action': '升级',
  'escalate.menu': '升级给主管',
  'escalate.hint': '升一级：先到团队主管，再到上级团队的主管。系统会告知客户已由主管接手。',
  'escalate.reason.complaint': '投诉',
  'escalate.reason.security': '安全问题',
  'escalate.reason.refund': '退款',
  'escalate.reason.other': '其他',
  'escalate.done': '已升级给 {name}（第 {level} 级）。',
  'escalate.noSupervisor': '无人可升级：此会话所属团队在当前级别之上没有主管。管理员可以在“团队”页面设置主管或上级团队。',
  'escalate.noTeam': '无人可升级：此会话不属于任何团队。请先将其转到某个团队。',
  'escalate.meanwhile': '有人刚刚升级了此会话；现在显示的是当前负责人。',

  'composer.mode': '消息类型',
  'composer.reply': '回复',
  'composer.note': '内部备注',
  'composer.placeholderReply': '回复 {name}…',
  'composer.placeholderNote': '写一条内部备注——仅团队成员可见…',
  'composer.send': '发送',
  'composer.addNote': '添加备注',
  'composer.attach': '添加附件',
  'composer.removeAttachment': '移除 {name}',
  'composer.uploading': '上传中…',
  'composer.split': '将拆分为 {n} 条消息发送',
  'composer.windowLeft': '{channel}：还剩 {d} 可回复',
  'composer.windowClosed': '{channel}：回复窗口已于 {d}前关闭——在客户再次发消息前，回复可能无法送达',
  'composer.noteHint': '内部备注仅客服可见。',
  'composer.hint': 'Enter 发送 · Shift+Enter 换行',

  'customer.title': '客户',
  'customer.identities': '渠道身份',
  'customer.noIdentities': '没有渠道身份。',
  'customer.other': '其他会话',
  'customer.noOther': '该客户没有其他会话。',
  'customer.details': '会话',
  'customer.created': '开始于',
  'customer.firstResponse': '首次回复',
  'customer.lastCustomerMessage': '客户最后消息',
  'customer.id': 'ID',
  'customer.unknownChannel': '渠道 {id}',
  'customer.panel': '客户信息',
  'transfer.title': '转账信息',
  'transfer.none': '此会话中还没有交易哈希、地址或金额。',
  'transfer.tx': '交易',
  'transfer.address': '地址',
  'transfer.amount': '金额',
  'transfer.copy': '复制',
  'transfer.copied': '已复制',
  'transfer.copyFailed': '无法复制：请手动选择文本。',
  'chain.bitcoin': '比特币浏览器',
  'chain.evm': 'Etherscan',
  'chain.tron': 'Tronscan',
  'chain.solana': 'Solscan',
  'escalation.notify': '紧急：{name}',
  'escalation.secret-exposed': '客户泄露了助记词或私钥。内容已移除，并已提醒客户。',
  'escalation.triage': '客户报告被盗、账号被黑或被骗。',
  'escalation.banner': '紧急案件',
  'escalation.level': '已升级 · 第 {level} 级',
  'escalation.detail': '由 {name} 升级给 {assignee}：{reason}',
  'escalation.notifyYou': '升级给你：{name}',
  'escalation.notifyBody': '{name} 升级了此会话：{reason}',
  'errors.unsafeContent': '这条回复没有发送：客服从不索要助记词、私钥、密码或验证码，回复中也不能包含这些内容。请改为询问交易哈希、地址或时间。',

  'agents.title': '客服人员',
  'agents.subtitle': '可以登录此收件箱的人员。',
  'agents.name': '姓名',
  'agents.email': '邮箱',
  'agents.role': '角色',
  'agents.status': '状态',
  'agents.added': '添加于',
  'agents.active': '已启用',
  'agents.inactive': '已停用',
  'agents.deactivate': '停用',
  'agents.reactivate': '重新启用',
  'agents.you': '你',
  'agents.cannotSelf': '你不能停用自己。',
  'agents.invite': '添加客服人员',
  'agents.inviteText': '对方使用此邮箱和初始密码登录。请通过安全渠道告知密码。',
  'agents.password': '初始密码',
  'agents.passwordHint': '至少 8 个字符。',
  'agents.generate': '生成',
  'agents.create': '创建',
  'agents.creating': '正在创建…',
  'agents.created': '{name} 现在可以登录了。',
  'agents.deactivated': '已停用 {name}，其所有登录均已退出。',
  'agents.reactivated': '已重新启用 {name}。',
  'agents.passwordShort': '密码至少需要 8 个字符。',
  'agents.invalidEmail': '请输入有效的邮箱地址。',
  'agents.nameRequired': '请输入姓名。',
  'agents.empty': '还没有客服人员。',
  'agents.count': '共 {n} 人 · {active} 人启用',

  'channels.title': '渠道',
  'teams.title': '团队',
  'teams.subtitle': '谁负责哪些渠道、谁接收升级，以及每位成员同时处理多少会话。',
  'teams.readOnly': '只有管理员可以修改团队。',
  'teams.count': '共 {n} 个团队',
  'teams.empty': '还没有团队。没有团队时，会话不会自动分配，也无法升级。',
  'teams.refresh': '刷新',
  'teams.name': '名称',
  'teams.team': '团队',
  'teams.supervisor': '主管',
  'teams.supervisorHint': '接收本团队的升级（第 1 级）。',
  'teams.noSupervisor': '无主管',
  'teams.members': '成员',
  'teams.membersHint': '勾选团队成员，并设置每人同时处理的进行中或待定会话数。',
  'teams.noMembers': '无成员',
  'teams.memberToggle': '{name} 是成员',
  'teams.capacity': '容量',
  'teams.capacityFor': '{name} 的容量',
  'teams.capacityShort': '最多 {n}',
  'teams.memberTitle': '{name}：同时最多 {n} 个会话 · {state}',
  'teams.online': '在线',
  'teams.offline': '离线',
  'teams.channels': '渠道',
  'teams.channelsHint': '这些渠道上的新会话会加入此团队（若两个团队列出同一渠道，以较早创建的团队为准）。',
  'teams.channelIds': '指定渠道',
  'teams.channelKinds': '某类的所有渠道',
  'teams.kindAll': '所有{kind}渠道',
  'teams.unknownChannel': '{id}（未配置）',
  'teams.noChannels': '无渠道',
  'teams.parent': '上级团队',
  'teams.parentHint': '其主管接收下一级升级。',
  'teams.noParent': '无（最高级）',
  'teams.under': '隶属于 {team}',
  'teams.autoAssign': '自动分配',
  'teams.autoAssignHint': '将等待中的会话轮流分配给已打开收件箱且未达到容量上限的成员。',
  'teams.unknownAgent': '客服 {id}',
  'teams.unknownTeam': '团队 {id}',
  'teams.add': '添加团队',
  'teams.editTitle': '编辑 {name}',
  'teams.create': '创建团队',
  'teams.creating': '正在创建…',
  'teams.save': '保存更改',
  'teams.saving': '正在保存…',
  'teams.cancel': '取消',
  'teams.edit': '编辑',
  'teams.delete': '删除',
  'teams.deleteTitle': '删除团队 {name}？',
  'teams.deleteText': '其会话保留原状，但不再属于任何团队。会话的负责人和升级对象不变。',
  'teams.deleteConfirm': '删除团队',
  'teams.created': '已创建团队 {name}。',
  'teams.saved': '已保存团队 {name}。',
  'teams.deleted': '已删除团队 {name}。',
  'teams.nameRequired': '请输入名称。',
  'teams.nameTaken': '已有同名团队。',
  'teams.parentLoop': '团队不能隶属于自身或其下级团队。',
  'teams.capacityInvalid': '容量须为 0 到 1000 之间的整数。',
  'teams.actions': '操作',
  'nav.desk': '服务台设置',
  'desk.title': '服务台设置',
  'desk.subtitle': '服务级别、响应时间承诺和超时自动升级。修改会在几秒内对所有进程生效。',
  'desk.readOnly': '只有管理员可以修改服务台设置。',
  'desk.refresh': '刷新',
  'desk.behaviour': '自动回复与升级',
  'desk.toggle.autoAck': '向新会话自动回复预计响应时间',
  'desk.toggle.escalateOnBreach': '超过目标时间时自动升级',
  'desk.editedBy': '由 {name} 于 {time} 修改',
  'desk.someone': '管理员',
  'desk.fromFile': '与渠道配置文件一致',
  'desk.saved': '设置已保存。',
  'desk.resetDone': '设置已恢复为渠道配置文件中的值。',
  'desk.sla': '服务级别',
  'desk.timezone': '时区',
  'desk.timezoneHint': 'IANA 时区，例如 Asia/Shanghai 或 Europe/Berlin；工作时间和节假日按此时区计算。',
  'desk.businessHours': '工作时间',
  'desk.allDay': '全天候（24/7）',
  'desk.setHours': '仅以下时间',
  'desk.hoursHint': '日期如 mon-fri 或 sat，时间如 09:00-18:00（多段：09:00-12:00,13:00-18:00）。',
  'desk.days': '日期',
  'desk.hours': '时间',
  'desk.addHours': '添加工作时段',
  'desk.remove': '移除',
  'desk.holidays': '节假日',
  'desk.holiday': '节假日',
  'desk.addHoliday': '添加节假日',
  'desk.responseTargets': '响应目标',
  'desk.targetsHint': '各类渠道承诺的首次回复时间，例如 90s、15m、4h 或 2d。留空则使用显示的默认值。',
  'desk.otherTargets': '单个渠道的设置：{list}',
  'desk.policies': '策略',
  'desk.policiesHint': '会话使用第一个匹配的策略；匹配条件留空则适用于所有会话。',
  'desk.noPolicies': '没有策略：会话没有目标时间。',
  'desk.policyName': '名称',
  'desk.up': '上移',
  'desk.down': '下移',
  'desk.removePolicy': '移除策略 {name}',
  'desk.matchPriority': '优先级',
  'desk.matchChannel': '渠道（ID 或类型）',
  'desk.matchLabels': '标签',
  'desk.metric.firstResponse': '首次响应',
  'desk.metric.nextResponse': '后续响应',
  'desk.metric.resolution': '解决',
  'desk.always': '计算所有时间，而不仅是工作时间',
  'desk.addPolicy': '添加策略',
  'desk.targetHint': '首次或后续响应填写 “channel” 时使用该渠道的响应目标。',
  'desk.reset': '恢复为渠道配置文件',
  'desk.save': '保存服务级别',
  'desk.saving': '保存中…',
  'desk.safety': '钱包安全',
  'desk.safetyHint': '仅供查看；请在渠道配置文件或通过 API 修改。',
  'channels.subtitle': '客户联系你的途径。渠道在服务器上配置；这里从不显示密钥。',
  'channels.name': '名称',
  'channels.status': '状态',
  'channels.lastError': '最近错误',
  'channels.checked': '{d}检查',
  'channels.neverChecked': '尚未检查',
  'channels.textLimit': '文本上限',
  'channels.chars': '{n} 个字符',
  'channels.replyWindow': '回复窗口',
  'channels.noWindow': '无限制',
  'channels.hours': '{n} 小时',
  'channels.attachments': '附件',
  'channels.formats': '格式',
  'channels.refresh': '刷新',
  'channels.empty': '没有配置任何渠道。',

  'forbidden.title': '无权访问',
  'forbidden.text': '只有管理员可以打开此页面。如需访问，请联系管理员。',
  'forbidden.back': '返回收件箱',

  'help.title': '键盘快捷键',
  'help.next': '下一个会话',
  'help.prev': '上一个会话',
  'help.reply': '撰写回复',
  'help.note': '撰写内部备注',
  'help.resolve': '将会话标记为已解决',
  'help.search': '搜索会话',
  'help.help': '显示此帮助',
  'help.esc': '关闭对话框或离开输入框',
  'help.send': '发送',
  'help.newline': '换行',
  'help.list': '收件箱中任意位置',
  'help.composer': '在输入框中',
  'help.note2': '在输入框中打字时快捷键不会触发。',

  'toast.dismiss': '关闭',

  'sys.took': '{name} 接手了此会话',
  'sys.assigned': '{name} 将此会话分配给了 {other}',
  'sys.unassigned': '{name} 取消了此会话的分配',
  'sys.snoozed': '{name} 将此会话延后至 {time}',
  'sys.reopened': '{name} 重新打开了此会话',
  'sys.opened': '{name} 打开了此会话',
  'sys.pending': '{name} 将此会话标记为待定',
  'sys.resolved': '{name} 将此会话标记为已解决',
  'sys.priority': '{name} 将优先级设为{priority}',
  'sys.labels': '{name} 设置了标签：{labels}',
  'sys.noLabels': '{name} 移除了所有标签',
  'sys.escalated': '{name} 升级了此会话：{reason}',
  'sys.escalated.secret-exposed': '助记词或私钥已泄露',
  'sys.escalated.triage': '客户报告了紧急情况（如资金被盗）',
  'sys.slaBreached': '服务级别“{policy}”的{metric}目标已超时',
  'sys.escalatedTo': '{name} 将此会话升级给 {assignee}（第 {level} 级）：{reason}',
  'sys.escalated.complaint': '投诉',
  'sys.escalated.security': '安全问题',
  'sys.escalated.refund': '退款',
  'sys.escalated.other': '其他原因',
  'sys.escalated.sla-breach': '未达到服务级别目标',
  'sys.team': '{name} 将此会话转到团队 {team}',
  'sys.teamCleared': '{name} 将此会话移出团队',
  'sys.csatRated': '客户为本次会话评分 {rating}/5（{via}）',
  'sys.csatComment': '客户为评分补充了意见',
  'sys.csatLow': '低分（{rating}/5）使会话重新打开',
  'sys.csatLowTo': '低分（{rating}/5）使会话重新打开，已交给 {assignee}',
  'sys.botAnswered': '智能助手用文章“{article}”作答',
  'bot.chip': '机器人',
  'bot.chipTitle': '智能助手正在回复此会话',
  'bot.banner': '智能助手正在用知识库回复这位客户。',
  'bot.bannerHint': '客户要求人工或没有答案时，它会自动转给团队。',
  'bot.takeOver': '接管',
  'bot.takenOver': '您已从智能助手接管会话',
  'sys.botSolved': '客户确认“{article}”解决了问题，智能助手已结束会话',
  'sys.handedOff': '智能助手已将会话转给团队：{reason}',
  'sys.handedOffBy': '{name} 从智能助手接管了会话',
  'handoff.asked': '客户要求人工',
  'handoff.no-answer': '没有文章能回答该问题',
  'handoff.urgent': '紧急情况',
  'handoff.taken-over': '客服已接管',
  'handoff.unsolved': '自动回答未解决问题',
  'csat.via.tap': '点选',
  'csat.via.text': '回复',
  'csat.via.link': '邮件链接',
  'csat.label': '评分 {rating}/5',
  'csat.title': '客户评分',
  'csat.how.tap': '{time} 在聊天中点选',
  'csat.how.text': '{time} 以回复输入',
  'csat.how.link': '{time} 通过邮件链接选择',
  'csat.how.unknown': '{time} 评分',
  'csat.comment': '客户意见',
  'sys.deskSla': '服务级别',
  'sys.deskRouting': '自动分配',
  'sla.metric.firstResponse': '首次响应',
  'sla.metric.nextResponse': '后续响应',
  'sla.metric.resolution': '解决',
  'sla.clock.firstResponse': '首次响应',
  'sla.clock.nextResponse': '后续响应',
  'sla.clock.resolution': '解决',
  'sla.short.second': '{n}秒',
  'sla.short.minute': '{n}分',
  'sla.short.hour': '{n}小时',
  'sla.short.day': '{n}天',
  'sla.badge.paused': '已暂停',
  'sla.label.dueIn': '{metric}将在{time}后到期',
  'sla.label.overdue': '{metric}已超时{time}',
  'sla.label.paused': '{metric}已暂停，剩余{time}',
  'sla.label.pausedOverdue': '{metric}已暂停，已超时{time}',
  'sla.clocks': '服务级别目标',
  'sla.policy': '服务级别“{policy}”',
  'sla.businessHours': '按工作时间计算',
  'sla.aroundTheClock': '全天候计算',
  'sla.at.due': '{time}到期',
  'sla.at.breached': '{time}超时',
  'sla.at.paused': '已暂停，剩余{time}',
  'sla.at.pausedBreached': '已暂停，{time}超时',
  'sla.at.pausedOverdue': '已暂停，已超时{time}',
  'sla.at.met': '{time}达成',
  'sla.at.metLate': '{time}达成，已超时（应于{due}前）',
  'sys.deskSafety': '钱包安全',
  'sys.blocked': '客户屏蔽了机器人',
  'sys.unblocked': '客户解除了对机器人的屏蔽',
  'sys.subscribed': '客户关注了公众号',
  'sys.subscribedFrom': '客户关注了公众号（{detail}）',
  'sys.unsubscribed': '客户取消关注了公众号：在重新关注前，消息无法送达',
  'sys.menu': '客户点击了菜单：{detail}',
  'sys.channelEvent': '渠道事件：{detail}',
};

export const dictionaries: { readonly en: Dictionary; readonly zh: Dictionary } = { en, zh };

export type Lang = keyof typeof dictionaries;
export const languages: readonly { value: Lang; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'zh', label: '简体中文' },
];

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function makeTranslate(lang: Lang): Translate {
  const dictionary = dictionaries[lang];
  return (key, params) => {
    const template = dictionary[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}

const STORAGE_KEY = 'sb.lang';

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // Storage can be blocked; fall back to the browser's language.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const lower = (tag ?? '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not fatal: the choice lasts for this page only.
  }
}

export const localeOf = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en-US');

/** Compact duration: "now", "5 m", "2 h", "3 d" (hours up to `hoursUntil`, default one day). */
export function formatDuration(ms: number, t: Translate, hoursUntil = 24): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return t('time.now');
  if (minutes < 60) return t('time.m', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < hoursUntil) return t('time.h', { n: hours });
  return t('time.d', { n: Math.floor(hours / 24) });
}

/** "5 m ago" / "5 分钟前"; under a minute "just now". */
export function formatAgo(iso: string, now: number, t: Translate): string {
  const ms = now - new Date(iso).getTime();
  if (ms < 60_000) return t('time.justNow');
  return t('time.ago', { d: formatDuration(ms, t) });
}

export function formatClock(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleTimeString(localeOf(lang), { hour: 'numeric', minute: '2-digit' });
}

export function formatDateTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(localeOf(lang), { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

export function formatDate(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleDateString(localeOf(lang), { year: 'numeric', month: 'short', day: 'numeric' });
}

const dayStart = (date: Date): number => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** Day separator label: Today, Yesterday, or a full date with weekday. */
export function formatDay(iso: string, now: number, lang: Lang, t: Translate): string {
  const date = new Date(iso);
  const diff = Math.round((dayStart(new Date(now)) - dayStart(date)) / 86_400_000);
  if (diff === 0) return t('time.today');
  if (diff === 1) return t('time.yesterday');
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(localeOf(lang), { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** List timestamp: time today, weekday this week, else a short date. */
export function formatListTime(iso: string, now: number, lang: Lang, t: Translate): string {
  const ms = now - new Date(iso).getTime();
  if (ms < 3_600_000) return ms < 60_000 ? t('time.now') : t('time.m', { n: Math.floor(ms / 60_000) });
  const date = new Date(iso);
  if (dayStart(date) === dayStart(new Date(now))) return formatClock(iso, lang);
  if (ms < 6 * 86_400_000) return date.toLocaleDateString(localeOf(lang), { weekday: 'short' });
  return date.toLocaleDateString(localeOf(lang), { month: 'short', day: 'numeric' });
}

/**
 * A system line in the agent's language: the server records what happened as `system: { type,
 * params }` (src/domain/system-note.ts) beside its English wording in `text`. Lines without it,
 * or of a type newer than this inbox, are shown as their text.
 */
const escalationReasons = ['secret-exposed', 'triage', 'complaint', 'security', 'refund', 'other', 'sla-breach'] as const;

/** Why a conversation was escalated, as a phrase ("a complaint", "a service-level target was missed"); an unknown reason as sent. */
export function escalationReasonText(reason: string, t: Translate): string {
  return (escalationReasons as readonly string[]).includes(reason) ? t(`sys.escalated.${reason as (typeof escalationReasons)[number]}`) : reason;
}

/** A desk feature acting by itself is named in the agent's language; an agent by their name. */
export function deskName(by: string, t: Translate): string {
  if (by === 'desk.safety') return t('sys.deskSafety');
  if (by === 'desk.sla') return t('sys.deskSla');
  if (by === 'desk.routing') return t('sys.deskRouting');
  return by;
}

export function translateSystemNote(message: Pick<Message, 'text' | 'system'>, t: Translate, lang: Lang): string {
  const note = message.system;
  if (!note) return message.text;
  switch (note.type) {
    case 'assigned':
      return t('sys.assigned', { name: deskName(note.params.by, t), other: note.params.assignee });
    case 'took':
      return t('sys.took', { name: note.params.by });
    case 'unassigned':
      return t('sys.unassigned', { name: note.params.by });
    case 'snoozed':
      return t('sys.snoozed', { name: note.params.by, time: formatDateTime(note.params.until, lang) });
    case 'opened':
      return t('sys.opened', { name: note.params.by });
    case 'reopened':
      return t('sys.reopened', { name: note.params.by });
    case 'pending':
      return t('sys.pending', { name: note.params.by });
    case 'resolved':
      return t('sys.resolved', { name: note.params.by });
    case 'priority': {
      const { priority } = note.params;
      return t('sys.priority', { name: note.params.by, priority: isPriority(priority) ? t(`priority.${priority}`) : priority });
    }
    case 'labels':
      return t('sys.labels', { name: note.params.by, labels: note.params.labels });
    case 'labels-cleared':
      return t('sys.noLabels', { name: note.params.by });
    case 'escalated': {
      const { by, reason, assignee, level } = note.params;
      const name = deskName(by, t);
      const why = escalationReasonText(reason, t);
      return assignee ? t('sys.escalatedTo', { name, assignee, level: level ?? '1', reason: why }) : t('sys.escalated', { name, reason: why });
    }
    case 'team':
      return t('sys.team', { name: note.params.by, team: note.params.team });
    case 'team-cleared':
      return t('sys.teamCleared', { name: note.params.by });
    case 'sla-breached': {
      const { metric, policy } = note.params;
      return t('sys.slaBreached', { policy, metric: metric === 'firstResponse' || metric === 'nextResponse' || metric === 'resolution' ? t(`sla.metric.${metric}`) : metric });
    }
    case 'csat-rated': {
      const { rating, via } = note.params;
      return t('sys.csatRated', { rating, via: via === 'tap' || via === 'text' || via === 'link' ? t(`csat.via.${via}`) : via });
    }
    case 'csat-comment':
      return t('sys.csatComment');
    case 'csat-low': {
      const { rating, assignee } = note.params;
      return assignee ? t('sys.csatLowTo', { rating, assignee }) : t('sys.csatLow', { rating });
    }
    case 'bot-answered':
      return t('sys.botAnswered', { article: note.params.article });
    case 'bot-solved':
      return t('sys.botSolved', { article: note.params.article });
    case 'handed-off': {
      const { by, reason } = note.params;
      if (reason === 'taken-over' && !by.startsWith('desk.')) return t('sys.handedOffBy', { name: by });
      return t('sys.handedOff', { reason: isHandoffReason(reason) ? t(`handoff.${reason}`) : reason });
    }
    case 'channel-event': {
      const { event, detail } = note.params;
      switch (event) {
        case 'blocked':
        case 'unblocked':
        case 'unsubscribed':
          return t(`sys.${event}`);
        case 'subscribed':
          return detail ? t('sys.subscribedFrom', { detail }) : t('sys.subscribed');
        case 'menu':
          return detail ? t('sys.menu', { detail }) : message.text;
        case 'other':
          return detail ? t('sys.channelEvent', { detail }) : message.text;
        default:
          return message.text;
      }
    }
    default: {
      // A type added to SystemNote needs its wording here; until a deployed inbox has it, the text shows.
      const untranslated: never = note;
      void untranslated;
      return message.text;
    }
  }
}

const handoffReasons = ['asked', 'no-answer', 'urgent', 'taken-over', 'unsolved'] as const;
const isHandoffReason = (value: string): value is (typeof handoffReasons)[number] => (handoffReasons as readonly string[]).includes(value);
const isPriority = (value: string): value is Priority => (priorities as readonly string[]).includes(value);
