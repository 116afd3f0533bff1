// A webhook receiver that verifies every request with the published standardwebhooks library, the way a customer
// would, and records the verdicts. Used by StandardWebhooksReceiverIT; not part of the application.
//
// RECEIVER_SECRETS: JSON object of label -> "whsec_..." secret; each request is verified with each of them.
// Prints "listening <port>" on stdout once it listens on 127.0.0.1 (an ephemeral port).
// POST <any path>: answers 200 when at least one secret verifies the request, else 401; the body is the verdicts.
// GET /results: every POST so far, oldest first: {path, headers, verdicts: {label: "ok" | error message}}.
"use strict";
const http = require("node:http");
const { Webhook } = require("standardwebhooks");

const secrets = JSON.parse(process.env.RECEIVER_SECRETS || "{}");
const hooks = Object.fromEntries(Object.entries(secrets).map(([label, secret]) => [label, new Webhook(secret)]));
const results = [];

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    if (req.method === "GET" && req.url === "/results") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(results));
      return;
    }
    // verify the raw bytes as received, before any JSON parsing (the signature covers the exact body)
    const body = Buffer.concat(chunks).toString("utf8");
    const verdicts = {};
    for (const [label, hook] of Object.entries(hooks)) {
      try {
        hook.verify(body, req.headers);
        verdicts[label] = "ok";
      } catch (e) {
        verdicts[label] = e.message;
      }
    }
    results.push({ path: req.url, headers: req.headers, verdicts });
    const verified = Object.values(verdicts).includes("ok");
    res.writeHead(verified ? 200 : 401, { "Content-Type": "application/json" });
    res.end(JSON.stringify(verdicts));
  });
});

server.listen(0, "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
