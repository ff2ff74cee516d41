'use strict';
// Kinder's benchmark peer, nothing more: the chat server many teams would write first (Express + pg + socket.io +
// JWT; insert the message, then emit it to the room). `./kinder bench compare` starts it and measures Kinder against
// it. No idempotency, no outbox, no retries: it keeps only what a naive server keeps (a gap-free seq per room).
//
// Environment: PORT, DATABASE_URL (postgres://…/kinder_reference), JWT_SIGNING_KEY (Kinder's, HS256, UTF-8 bytes).

const http = require('node:http');
const express = require('express');
const jwt = require('jsonwebtoken');
const { Pool } = require('pg');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || 3000);
const signingKey = process.env.JWT_SIGNING_KEY;
if (!process.env.DATABASE_URL || !signingKey) {
  console.error('DATABASE_URL and JWT_SIGNING_KEY are required');
  process.exit(2);
}
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

const schema = `
CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS rooms (
  id uuid PRIMARY KEY,
  title text,
  last_seq bigint NOT NULL DEFAULT 0,
  last_message_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS room_members (
  room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  last_read_seq bigint NOT NULL DEFAULT 0,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, user_id));
CREATE INDEX IF NOT EXISTS room_members_user ON room_members (user_id);
CREATE TABLE IF NOT EXISTS messages (
  id bigserial PRIMARY KEY,
  room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  sender_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_message_id text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (room_id, seq));
`;

function userIdOf(token) {
  return jwt.verify(token, signingKey, { algorithms: ['HS256'] }).sub;
}

function authenticate(req, res) {
  const header = req.get('authorization') || '';
  try {
    return userIdOf(header.replace(/^Bearer /, ''));
  } catch {
    res.status(401).json({ error: 'unauthorized' });
    return null;
  }
}

const app = express();
app.use(express.json());

app.get('/health', (req, res) => res.send('ok'));

app.get('/auth/me', async (req, res) => {
  const userId = authenticate(req, res);
  if (!userId) return;
  const { rows } = await pool.query(
    'SELECT id, email, display_name AS "displayName", created_at AS "createdAt" FROM users WHERE id = $1', [userId]);
  if (rows.length === 0) return res.status(404).json({ error: 'not found' });
  res.json(rows[0]);
});

// The caller's rooms, newest activity first: members, last message and unread count, as Kinder's list answers them.
app.get('/conversations', async (req, res) => {
  const userId = authenticate(req, res);
  if (!userId) return;
  const { rows } = await pool.query(`
    SELECT r.id, r.title, r.last_seq AS "lastSeq", r.last_seq - m.last_read_seq AS "unreadCount",
           coalesce(r.last_message_at, r.created_at) AS "lastActivityAt", r.created_at AS "createdAt",
           (SELECT json_agg(json_build_object('id', u.id, 'displayName', u.display_name) ORDER BY x.joined_at)
              FROM room_members x JOIN users u ON u.id = x.user_id WHERE x.room_id = r.id) AS members,
           (SELECT json_build_object('id', l.id, 'seq', l.seq, 'senderId', l.sender_id, 'body', l.body,
                                     'createdAt', l.created_at)
              FROM messages l WHERE l.room_id = r.id ORDER BY l.seq DESC LIMIT 1) AS "lastMessage"
      FROM room_members m JOIN rooms r ON r.id = m.room_id
     WHERE m.user_id = $1
     ORDER BY coalesce(r.last_message_at, r.created_at) DESC, r.id DESC
     LIMIT 20`, [userId]);
  for (const row of rows) row.memberCount = row.members ? row.members.length : 0;
  res.json({ items: rows });
});

const server = http.createServer(app);
const io = new Server(server, { serveClient: false });

// The token comes in the handshake's auth; the user's rooms are read once, on connect.
io.use(async (socket, next) => {
  try {
    socket.data.userId = userIdOf(socket.handshake.auth && socket.handshake.auth.token);
    const { rows } = await pool.query('SELECT room_id FROM room_members WHERE user_id = $1', [socket.data.userId]);
    socket.data.rooms = rows.map((row) => row.room_id);
    next();
  } catch (error) {
    next(new Error(error.name === 'JsonWebTokenError' || error.name === 'TokenExpiredError' ? 'unauthorized' : error.message));
  }
});

io.on('connection', (socket) => {
  socket.join(socket.data.rooms);

  socket.on('message:send', async (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    try {
      const { conversationId, clientMessageId, body } = payload || {};
      // One statement: the room row's lock numbers the message (seq stays gap-free), members only.
      const { rows } = await pool.query(`
        WITH next AS (
          UPDATE rooms SET last_seq = last_seq + 1, last_message_at = now()
           WHERE id = $1 AND EXISTS (SELECT 1 FROM room_members WHERE room_id = $1 AND user_id = $2)
          RETURNING id, last_seq)
        INSERT INTO messages (room_id, seq, sender_id, client_message_id, body)
        SELECT id, last_seq, $2, $3, $4 FROM next
        RETURNING id, seq, created_at`, [conversationId, socket.data.userId, String(clientMessageId), String(body)]);
      if (rows.length === 0) return reply({ ok: false, error: 'not a member' });
      const message = {
        id: rows[0].id,
        conversationId,
        seq: Number(rows[0].seq),
        senderId: socket.data.userId,
        clientMessageId,
        body,
        createdAt: rows[0].created_at,
      };
      io.to(conversationId).emit('message:new', message);
      reply({ ok: true, id: message.id, seq: message.seq });
    } catch (error) {
      reply({ ok: false, error: error.message });
    }
  });
});

pool.query(schema).then(
  () => server.listen(port, () => console.log(`reference chat listening on ${port}`)),
  (error) => {
    console.error(`schema: ${error.message}`);
    process.exit(1);
  });
