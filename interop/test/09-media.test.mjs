// Media through matrix-js-sdk: uploadContent of a PNG and a text file, byte-identical downloads
// through the authenticated /_matrix/client/v1/media endpoints at the URLs the SDK builds, and a
// 96x96 cropped thumbnail that must be a PNG or JPEG of exactly that size.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { registerUser, needs, stopAll, once, SERVER_NAME } from '../lib/harness.mjs';
import { png, imageSize } from '../lib/images.mjs';

async function authedGet(client, url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  const body = Buffer.from(await response.arrayBuffer());
  return { response, body };
}

describe('media', () => {
  let alice;
  let bob;
  const picture = png(200, 150);
  const text = Buffer.from(`hello from the interop suite ${randomBytes(8).toString('hex')}\nsecond line ✓\n`, 'utf8');
  let pictureMxc;
  let textMxc;

  const users = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
  });

  after(() => stopAll(alice?.client, bob?.client));

  it('uploads a PNG and a text file with uploadContent', async () => {
    await users();
    const uploadedPicture = await needs('POST /_matrix/media/v3/upload',
      () => alice.client.uploadContent(picture, { name: 'gradient.png', type: 'image/png' }));
    pictureMxc = uploadedPicture.content_uri;
    assert.match(pictureMxc, new RegExp(`^mxc://${SERVER_NAME.replace('.', '\\.')}/[A-Za-z0-9_-]+$`));
    textMxc = (await alice.client.uploadContent(text, { name: 'notes ✓.txt', type: 'text/plain' })).content_uri;
    assert.notEqual(textMxc, pictureMxc);
  });

  it('downloads both byte-identical through the authenticated endpoints', async () => {
    await users();
    assert.ok(pictureMxc && textMxc, 'the uploads succeeded');
    for (const [mxc, bytes, type] of [[pictureMxc, picture, 'image/png'], [textMxc, text, 'text/plain']]) {
      const url = bob.client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
      assert.ok(url.includes('/_matrix/client/v1/media/download/'), `an authenticated URL: ${url}`);
      const { response, body } = await authedGet(bob.client, url);
      assert.equal(response.status, 200, `GET ${url}`);
      assert.ok(body.equals(bytes), `the downloaded ${type} is byte-identical (${body.length} vs ${bytes.length} bytes)`);
      assert.equal(response.headers.get('content-type'), type);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.match(response.headers.get('content-disposition') ?? '', /^inline; filename/);
    }
    const unauthenticated = await fetch(bob.client.mxcUrlToHttp(textMxc, undefined, undefined, undefined, false, true, true));
    assert.equal(unauthenticated.status, 401, 'the authenticated endpoint needs a token');
  });

  it('serves a 96x96 cropped thumbnail of the PNG', async () => {
    await users();
    assert.ok(pictureMxc, 'the upload succeeded');
    const url = bob.client.mxcUrlToHttp(pictureMxc, 96, 96, 'crop', false, true, true);
    assert.ok(url.includes('/_matrix/client/v1/media/thumbnail/'), `an authenticated thumbnail URL: ${url}`);
    const { response, body } = await authedGet(bob.client, url);
    assert.equal(response.status, 200, `GET ${url}: ${body.toString('utf8', 0, 200)}`);
    const size = imageSize(body);
    assert.deepEqual({ width: size.width, height: size.height }, { width: 96, height: 96 });
    assert.equal(response.headers.get('content-type'), `image/${size.type}`);
  });
});
