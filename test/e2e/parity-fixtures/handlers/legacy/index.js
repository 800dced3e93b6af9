// Fixture: a function written for an old runtime with the AWS SDK v2, which ignores
// AWS_ENDPOINT_URL and talks to the real regional endpoints. The SDK itself is not installed
// here, so the handler makes the calls v2 would make, over fetch, https and a raw socket.
const https = require('node:https');
const net = require('node:net');

let AWS;
try {
  AWS = require('aws-sdk');
} catch {
  AWS = undefined;
}

const outcome = (promise) => promise.then(() => 'connected', (err) => String(err.cause?.message ?? err.message));

exports.handler = async () => ({
  sdkV2Installed: AWS !== undefined,
  fetch: await outcome(fetch('https://sqs.us-east-1.amazonaws.com/', { method: 'POST' })),
  https: await outcome(new Promise((resolve, reject) => https.get('https://dynamodb.us-east-1.amazonaws.com/', resolve).on('error', reject))),
  socket: await outcome(new Promise((resolve, reject) => net.connect(443, '52.94.0.1', resolve).on('error', reject))),
});
