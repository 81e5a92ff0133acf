// Preloaded into the specs' s3rver (node --require). s3rver 3.7 pipes an upload into a file write
// stream without an error listener: when a delete in the same folder removes the folder (s3rver
// prunes empty parents) between its mkdir and its open, the ENOENT is thrown out of the event loop and
// kills the server, and with it every later spec of the collection. Logged instead, the one request
// fails (the client retries it) and the server stays up.
'use strict';
process.on('uncaughtException', (error) => {
  console.error(`s3rver-guard: uncaught ${error && error.stack ? error.stack : error}`);
});
