// A SignalR JavaScript client as an app would use it: default negotiation, default transports. Opens N connections
// for one user to the hub URL, prints "connected i" for each and "ready", then "message i <body>" for every
// message:new, and exits once each connection has received one message (or after 60 s).
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.KINDER_NODE_MODULES}/`);
const signalR = require('@microsoft/signalr');
const [url, token, count] = [process.argv[2], process.argv[3], Number(process.argv[4])];

const received = new Set();
for (let i = 0; i < count; i++) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => token })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on('message:new', message => {
    console.log(`message ${i} ${message.body}`);
    received.add(i);
    if (received.size === count) process.exit(0);
  });
  await connection.start();
  console.log(`connected ${i}`);
}
console.log('ready');
setTimeout(() => process.exit(2), 60_000);
