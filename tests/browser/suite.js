// The portal as people meet it, in Debian's chromium (issue 15): axe-core on every public page and
// the main staff pages, no sideways scrolling at 390 px (and on public pages 44 px tap targets and
// stacked table cells in order), the complaint journey from the form to a
// reopened complaint, and screenshots at 390 px and 1280 px. Run by run.sh (which starts the
// portal); prints "N passed, M failed" and exits non-zero on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOT_DIR;
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const DESKTOP = { width: 1280, height: 900, deviceScaleFactor: 1 };

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAILED: ${name}${detail ? `\n  ${detail}` : ''}`);
  }
}

async function open(page, url) {
  await page.bringToFront();  // a page in the background gets no clicks in headless chromium
  const response = await page.goto(BASE + url, { waitUntil: 'load' });
  return response ? response.status() : 0;
}

// Submits a form by clicking its button and waits for the next page.
async function clickAndWait(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function text(page, selector) {
  return page.$eval(selector, (e) => e.textContent.replace(/\s+/g, ' ').trim()).catch(() => '');
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.map((v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

// The page must not scroll sideways; names the widest elements when it does.
async function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scroll = document.scrollingElement.scrollWidth;
    if (scroll <= width) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''} right=${Math.round(e.getBoundingClientRect().right)}`);
    return `scrollWidth ${scroll} > ${width}: ${wide.join(', ')}`;
  });
}

// What a thumb taps on a phone must be at least 44 px high (WCAG 2.5.5): the header, breadcrumbs,
// filters, pagers, tables of contents, form fields and buttons, the title link of a card, a search
// hit or a stacked table row, phone numbers. Links inside running sentences are not listed here.
// Names the first few that are lower.
const TAP_TARGETS = [
  '.site-nav a', '.display-settings a', '.site-search input', '.site-search button', '.breadcrumb a',
  '.footer-links a', '.filter-row a', '.pager a', '.facets li a', '.tabs a', '.link-row a', 'main summary',
  '.toc ol a', '.to-toc a', '.sitemap li a', '.link-list li a', '.card h3 a', '.card h2 a', '.hits h3 a',
  'table.stack td.stack-title a', 'a[href^="tel:"]', 'main select', 'main textarea', 'main button',
  'main input:not([type=hidden]):not([type=radio]):not([type=checkbox])', 'main label:has(> input[type=radio])',
  'main p.meta a[href$="/history"]', 'a.to-facets', 'main p.meta a[href*="sort="]',
].join(', ');
async function smallTargets(page) {
  return page.evaluate((selector) => {
    const low = [...document.querySelectorAll(selector)]
      .map((e) => [e, e.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0 && r.height < 43.5)
      .map(([e, r]) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''} "${e.textContent.trim().slice(0, 12)}" ${Math.round(r.height)}px`);
    return low.length === 0 ? null : `${low.length} lower than 44px: ${low.slice(0, 5).join(', ')}`;
  }, TAP_TARGETS);
}

// A table stacked at phone width shows each cell as its column's name and the value beside it;
// every part of the value (a cell of several paragraphs too) must stand beside the name, never
// under it where it reads as another field's name. Names the first few that do not.
async function misplacedCells(page) {
  return page.evaluate(() => {
    const wrong = [];
    for (const td of document.querySelectorAll('table.stack td[data-label]')) {
      if (getComputedStyle(td).display !== 'grid') continue;
      const left = td.getBoundingClientRect().left;
      for (const child of td.children) {
        if (child.getBoundingClientRect().left < left + 20) wrong.push(`${td.dataset.label}: "${child.textContent.trim().slice(0, 16)}"`);
      }
    }
    return wrong.length === 0 ? null : `${wrong.length} under the column name: ${wrong.slice(0, 3).join(', ')}`;
  });
}

// The phone checks of the page as it is now: no sideways scroll, tap targets, stacked cells.
async function checkPhoneLayout(page, name, { targets = true } = {}) {
  const wide = await overflow(page);
  check(`${name} does not scroll sideways at 390px`, wide === null, wide);
  if (targets) {
    const low = await smallTargets(page);
    check(`${name} has tap targets at least 44px high at 390px`, low === null, low);
  }
  const cells = await misplacedCells(page);
  check(`${name} keeps stacked values beside their names at 390px`, cells === null, cells);
}

function shotName(url, label) {
  return `${label}-${url.replace(/^\//, '').replace(/[^A-Za-z0-9\u4e00-\u9fff-]+/g, '_') || 'home'}`;
}

// One page: at 390 px its status, axe and no sideways scroll; a main page also at 1280 px
// (axe there too) with screenshots at both widths. (axe takes 1-3 s a page; every page at both
// widths would take the suite past two minutes.)
async function checkPage(phone, desktop, url, { status = 200, main = false, label = 'page' } = {}) {
  const widths = main ? [[phone, 390], [desktop, 1280]] : [[phone, 390]];
  for (const [page, width] of widths) {
    const t0 = Date.now();
    const got = await open(page, url);
    // A page the browser has already seen may come back 304 Not Modified from the page cache.
    check(`${url} answers ${status} at ${width}px`, got === status || (status === 200 && got === 304), `got ${got}`);
    const t1 = Date.now();
    const violations = await axe(page);
    if (process.env.TIMING) console.log(`${url} ${width}: load ${t1 - t0} ms, axe ${Date.now() - t1} ms`);
    check(`${url} has no axe violations at ${width}px`, violations.length === 0, violations.join('\n  '));
    // (The staff pages are checked for sideways scrolling only.)
    if (width === 390) await checkPhoneLayout(page, url, { targets: label !== 'staff' });
    if (main) {
      await page.screenshot({ path: path.join(SHOTS, `${shotName(url, label)}-${width}.png`), fullPage: true });
    }
  }
}

// The first link on a page whose href matches, as a path.
async function firstLink(page, url, pattern) {
  await open(page, url);
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => pattern.test(h)) || null;
}

async function newPage(context, viewport) {
  const page = await context.newPage();
  await page.setViewport(viewport);
  await page.setBypassCSP(true);  // axe is injected as a script; the portal's CSP allows none
  return page;
}

// A phone photo as evidence: a JPEG drawn by chromium itself, with an EXIF block (APP1) added
// the way a phone writes one, naming the camera and a GPS position (43°52'30"N). The portal
// must re-encode it without them.
const CAMERA_MARKER = 'BrowserCam-GPS-Marker';
function withExifGps(jpeg) {
  const t = [];
  const u16 = (v) => t.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v) => { u16(v & 0xffff); u16(v >>> 16); };
  const entry = (tag, type, count, value) => { u16(tag); u16(type); u32(count); u32(value); };
  t.push(0x49, 0x49, 0x2a, 0x00);  // "II*\0", little-endian TIFF
  u32(8);
  u16(2);                                      // IFD0 at 8: Make, GPSInfo pointer
  entry(0x010f, 2, CAMERA_MARKER.length + 1, 38);  // Make, ASCII, at 38
  entry(0x8825, 4, 1, 38 + CAMERA_MARKER.length + 2);  // GPS IFD after the string (even)
  u32(0);
  for (const c of CAMERA_MARKER) t.push(c.charCodeAt(0));
  t.push(0);
  if (t.length % 2) t.push(0);
  const gps = t.length;
  u16(2);                                      // GPS IFD: GPSLatitudeRef "N", GPSLatitude
  entry(0x0001, 2, 2, 0x4e);
  entry(0x0002, 5, 3, gps + 30);
  u32(0);
  for (const v of [43, 1, 52, 1, 30, 1]) u32(v);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), Buffer.from(t)]);
  const len = payload.length + 2;
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, len >> 8, len & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}
async function makePhoto(page, file) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 480;
    const g = c.getContext('2d');
    g.fillStyle = '#6a8caf';
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#c33';
    g.fillRect(120, 160, 400, 200);
    return c.toDataURL('image/jpeg', 0.9);
  });
  const jpeg = Buffer.from(dataUrl.split(',')[1], 'base64');
  fs.writeFileSync(file, withExifGps(jpeg));
  return file;
}
function containsBytes(bytes, text) {
  return Buffer.from(bytes).includes(Buffer.from(text, 'binary'));
}

async function logIn(page, user, password) {
  await open(page, '/admin/login');
  await page.type('#username', user);
  await page.type('#password', password);
  await clickAndWait(page, 'main form button[type=submit]');
  check(`${user} can log in`, !page.url().includes('/admin/login'), page.url());
}

async function complaintJourney(citizen, staff) {
  const description = '浏览器测试：小区门口的占道经营摊点每天晚上十点后仍在营业，油烟和噪音影响居民休息。';
  // 1. A citizen files a complaint on the form.
  await open(citizen, '/complaints/new');
  // The department whose handler account run.sh made (新区综合行政执法局, zhzf).
  const department = await citizen.$eval('#department_id', (s) =>
    [...s.options].find((o) => o.textContent.includes('综合行政执法局')).value);
  await citizen.select('#department_id', department);
  const category = await citizen.$eval('#category', (s) => [...s.options].map((o) => o.value).find((v) => v));
  await citizen.select('#category', category);
  await citizen.type('#description', description);
  await citizen.type('#location', '幸福路12号门口');
  const photo = await makePhoto(citizen, path.join(SHOTS, 'phone-photo-with-gps.jpg'));
  check('the test photo carries EXIF GPS', containsBytes(fs.readFileSync(photo), CAMERA_MARKER));
  const input = await citizen.$('input[type=file]');
  check('the complaint form takes files', input !== null);
  if (input) await input.uploadFile(photo);
  await clickAndWait(citizen, 'form.complaint-form button[type=submit]');
  check('the complaint is registered', (await text(citizen, 'h1')).includes('投诉举报已登记'), await text(citizen, 'h1'));
  const number = await text(citizen, '.registration-no');
  const code = await text(citizen, '.tracking-code');
  check('the confirmation shows a registration number and a tracking code', number !== '' && code !== '', `${number} / ${code}`);
  check('the confirmation tells when acceptance is decided',
    (await text(citizen, 'main')).includes('前告诉您是否受理'));
  check('the confirmation counts the photo', (await text(citizen, '.evidence-count')).includes('1'),
    await text(citizen, '.evidence-count'));
  await checkPhoneLayout(citizen, 'the complaint confirmation');
  await citizen.screenshot({ path: path.join(SHOTS, 'journey-1-registered-390.png'), fullPage: true });

  // 2. It is tracked by number and code.
  const track = async () => {
    await open(citizen, '/track');
    await citizen.type('#registration_no', number);
    await citizen.type('#tracking_code', code);
    await clickAndWait(citizen, 'form.track-form button[type=submit]');
    return text(citizen, '#status-title');
  };
  const first = await track();
  check('tracking shows the complaint as 已登记', first.includes(number) && first.includes('已登记'), first);
  await checkPhoneLayout(citizen, 'the tracking page');
  check('tracking lists the photo by count only', (await text(citizen, '.evidence-count')).includes('1 个') &&
    (await citizen.$('a[href*="/evidence/"]')) === null, await text(citizen, '.evidence-count'));

  // 3. Staff log in, accept it, add a public progress note and conclude it.
  await open(staff, '/admin/login');
  await logIn(staff, process.env.HANDLER_USER, process.env.STAFF_PASSWORD);
  await open(staff, '/admin/complaints');
  check('the queue lists the new complaint', (await text(staff, 'main')).includes(number));
  const detail = `/admin/complaints/${encodeURIComponent(number)}`;
  await open(staff, detail);
  // The photo as staff download it: re-encoded, no EXIF, no GPS.
  const photoUrl = await staff.$eval('.evidence-file a', (a) => a.getAttribute('href')).catch(() => '');
  check('staff see the photo listed', photoUrl !== '', photoUrl);
  if (photoUrl) {
    const served = await staff.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())] };
    }, photoUrl);
    check('the photo is served to staff as a JPEG', served.status === 200 && served.type.startsWith('image/jpeg'),
      `${served.status} ${served.type}`);
    check('the photo served to staff has no EXIF and no GPS',
      !containsBytes(served.bytes, 'Exif\0\0') && !containsBytes(served.bytes, CAMERA_MARKER));
  }
  await staff.type('#accept-note', '已受理，将于近期现场核查。');
  await clickAndWait(staff, 'form[action$="/accept"] button[type=submit]');
  check('staff see the complaint accepted', (await text(staff, 'h1')).includes('已受理'), await text(staff, 'h1'));
  const note = '执法队员已到现场核查，责令摊主当晚停止占道经营。';
  await staff.type('#note-text', note);
  // 公开 or 仅内部 is a choice the handler makes each time: nothing is preselected.
  await staff.click('form[action$="/note"] input[name=is_public][value="1"]');
  await clickAndWait(staff, 'form[action$="/note"] button[type=submit]');
  check('the progress note is on the staff page', (await text(staff, 'main')).includes(note));
  const result = '经查属实，已对占道经营行为依法处理，并安排夜间巡查。';
  // 办结 cannot be undone: it is a step of its own that says so before anything happens.
  await open(staff, `${detail}/confirm/conclude`);
  check('办结 asks for confirmation and states the consequence', (await text(staff, 'main')).includes('此操作不能撤销'));
  const confirmViolations = await axe(staff);
  check('the confirmation page has no axe violations', confirmViolations.length === 0, confirmViolations.join('\n  '));
  await staff.type('#result', result);
  await clickAndWait(staff, 'form.confirm-action button[type=submit]');
  check('staff see the complaint concluded', (await text(staff, 'h1')).includes('已办结'), await text(staff, 'h1'));
  const violations = await axe(staff);
  check('the staff complaint page has no axe violations', violations.length === 0, violations.join('\n  '));
  await staff.screenshot({ path: path.join(SHOTS, 'journey-3-staff-concluded-1280.png'), fullPage: true });

  // 4. The citizen sees the note and the result, and rates it 不满意 with a comment.
  const concluded = await track();
  check('tracking shows 已办结', concluded.includes('已办结'), concluded);
  const page = await text(citizen, 'main');
  check('tracking shows the public progress note', page.includes(note));
  check('tracking shows the result', page.includes(result));
  await checkPhoneLayout(citizen, 'the tracking page with the rating form');
  await citizen.click('input[name=rating][value=unsatisfied]');
  await clickAndWait(citizen, 'form[action="/track/evaluate"] button[type=submit]');
  check('不满意 without a comment is refused with a message', (await text(citizen, '#evaluation-errors')) !== '');
  check('the refused evaluation keeps the choice',
    await citizen.$eval('input[name=rating][value=unsatisfied]', (e) => e.checked).catch(() => false));
  await citizen.type('#comment', '晚上摊点仍然存在，问题没有解决。');
  await clickAndWait(citizen, 'form[action="/track/evaluate"] button[type=submit]');
  const reopened = await text(citizen, '#status-title');
  check('after 不满意 the complaint shows as reopened (复核中)', reopened.includes('复核中'), reopened);
  check('the evaluation is shown', (await text(citizen, 'main')).includes('不满意'));
  await citizen.screenshot({ path: path.join(SHOTS, 'journey-4-reopened-390.png'), fullPage: true });

  // 5. Staff see it reopened with the comment.
  await open(staff, detail);
  check('staff see the complaint reopened', (await text(staff, 'h1')).includes('复核中'), await text(staff, 'h1'));
  check('staff see the complainant\'s comment', (await text(staff, 'main')).includes('问题没有解决'));
  return detail;
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    userDataDir: process.env.PROFILE_DIR,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=zh-CN', '--font-render-hinting=none'],
  });
  const started = Date.now();
  try {
    const citizenContext = await browser.createBrowserContext();
    const staffContext = await browser.createBrowserContext();
    const phone = await newPage(citizenContext, PHONE);
    const desktop = await newPage(citizenContext, DESKTOP);
    const handler = await newPage(await browser.createBrowserContext(), DESKTOP);
    const staffPhone = await newPage(staffContext, PHONE);
    const staffDesktop = await newPage(staffContext, DESKTOP);

    const detail = await complaintJourney(phone, handler);
    await logIn(staffDesktop, process.env.STAFF_USER, process.env.STAFF_PASSWORD);

    // Every public page (the links found on the demo data), at both widths.
    const department = (await firstLink(desktop, '/', /^\/departments\/[a-z0-9-]+$/)) || '/departments/zhzf';
    const item = await firstLink(desktop, department, /^\/items\/[^/]+\/[^/]+$/);
    // An editor amends an item's name; its history compares the two versions.
    await open(staffDesktop, '/admin/items/zhzf/CF-ZHZF-0001/edit');
    const oldName = await staffDesktop.$eval('#name', (e) => e.value);
    await staffDesktop.type('#name', '（含电子显示屏）');
    await staffDesktop.select('#change_kind', 'amend');
    await staffDesktop.type('#change_reason', '依据新修订的户外广告管理办法调整');
    await clickAndWait(staffDesktop, 'button[name=op][value=publish]');
    const history = '/items/zhzf/CF-ZHZF-0001/history';
    for (const [page, width] of [[phone, 390], [desktop, 1280]]) {
      await open(page, history);
      const changes = await page.$$eval('.change h3', (hs) => hs.map((h) => h.textContent));
      // Only what changed: the name, never a field nobody touched (the edit form gives back
      // exactly what it showed, legal bases included).
      check(
          `the comparison shows only changed fields at ${width}px`,
          changes.length === 1 && changes[0] === '事项名称', changes.join());
      check(`the added words are marked at ${width}px`, (await text(page, '.change ins')) === '（含电子显示屏）', await text(page, '.change ins'));
      check(`the old name is there unmarked at ${width}px`, (await text(page, '.change .side-text')) === oldName);
    }
    const decision = await firstLink(desktop, '/decisions', /^\/decisions\/\d+$/);
    const disclosureHistory = await firstLink(desktop, `${department}/disclosures`, /\/disclosures\/[^/]+\/history/);
    await open(desktop, `${department}/officers`);
    const certificate = await text(desktop, 'main table tbody tr td.code, main .certificate-number');
    // [url, main page: also at 1280 px with screenshots]
    const publicPages = [
      ['/', true], [department, true], [`${department}?list=responsibility`, false], [item, true],
      [history, true], ['/changes', false], [`${department}/changes`, false], ['/complaint-channels', false],
      ['/complaints/new', true], ['/track', false], ['/enforcement', false], ['/enforcement/statistics', true],
      ['/decisions', true], [decision, false], [`${department}/officers`, false],
      [`/certificates/check?number=${encodeURIComponent(certificate)}`, true], ['/certificates/check', false],
      ['/disclosures', false], [`${department}/disclosures`, false], [disclosureHistory, false],
      ['/search?q=%E9%87%8E%E5%B9%BF%E5%91%8A', true], ['/search?q=%E6%99%9A%E4%B8%8A%E6%96%BD%E5%B7%A5', false],
      [`/search?q=${encodeURIComponent('罚款')}`, false], [`/search?q=${encodeURIComponent('楼下烧烤油烟太大')}`, false],
      ['/search?q=qqqq', false],
      ['/contact', false], ['/sitemap', false],
      // run.sh's department without a hotline (no empty tel: link there, on / and the channels).
      ['/departments/zrzy', false],
    ];
    for (const [url, screenshot] of publicPages) {
      check(`a link for ${url} was found on the demo data`, Boolean(url) && !/null|undefined/.test(url));
      if (url && !/null|undefined/.test(url)) await checkPage(phone, desktop, url, { main: screenshot, label: 'public' });
    }
    // A citizen on a phone sees the first result without scrolling past the filters, which
    // follow the results there (a link beside the count leads to them).
    await open(phone, '/search?q=%E9%A5%AD%E5%BA%97%E6%B2%B9%E7%83%9F');
    const firstHit = await phone.$eval('.hits li h3', (h) => h.getBoundingClientRect().bottom);
    check('the first search result is on the first screen of a phone', firstHit <= PHONE.height, `${firstHit}px`);
    await phone.click('a.to-facets');
    await phone.waitForFunction(() => location.hash === '#facets');
    const facetsTop = await phone.$eval('#facets', (f) => f.getBoundingClientRect().top);
    check('the filters link scrolls to the filters', facetsTop >= 0 && facetsTop < PHONE.height, `${facetsTop}px`);
    await checkPage(phone, desktop, '/no-such-page', { status: 404 });
    await checkPage(phone, desktop, `/certificates/check?number=${encodeURIComponent('吉999999999999')}`, { status: 404, label: 'public' });
    // The complaint form sent empty (the browser's own required-field check switched off, as an
    // older phone browser has none): the list of errors and the marked fields.
    await open(phone, '/complaints/new');
    await phone.$eval('form.complaint-form', (f) => { f.noValidate = true; });
    await clickAndWait(phone, 'form.complaint-form button[type=submit]');
    check('the empty complaint form comes back with its errors', (await text(phone, '#form-errors')) !== '');
    await checkPhoneLayout(phone, 'the complaint form with errors');
    // A tracking code that does not match.
    await open(phone, '/track');
    await phone.type('#registration_no', 'TS-2026-999999');
    await phone.type('#tracking_code', 'WRONGCODE');
    await clickAndWait(phone, 'form.track-form button[type=submit]');
    check('a wrong tracking code is refused with a message', (await text(phone, '.notice')) !== '');
    await checkPhoneLayout(phone, 'the tracking page after a wrong code');
    // The large-text mode (适老化) must not break the phone layout either.
    await open(phone, '/settings/text-size?size=large&return=/');
    for (const url of ['/', department, item, '/enforcement/statistics', '/complaints/new', '/decisions', `${department}/disclosures`]) {
      await open(phone, url);
      const wide = await overflow(phone);
      check(`${url} does not scroll sideways at 390px in large text`, wide === null, wide);
    }
    // Every item page of the department: their status, type and code lines differ in length
    // (CF-ZHZF-0008's scrolled by 3 px while the first item's fitted).
    await open(phone, department);
    const items = [...new Set((await phone.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href'))))
      .filter((h) => /^\/items\/[^/]+\/[^/]+$/.test(h)))];
    const tooWide = [];
    const numberedTwice = [];
    for (const url of items) {
      await open(phone, url);
      const wide = await overflow(phone);
      if (wide !== null) tooWide.push(`${url}: ${wide}`);
      // A line the list numbered itself ("2.对不符合…") in a numbered list reads "3. 2.对…".
      const twice = await phone.$$eval('main ol > li', (lis) =>
        lis.map((li) => li.textContent.trim()).filter((t) => /^\d+\s*[.、．]/.test(t)).slice(0, 2));
      if (twice.length > 0) numberedTwice.push(`${url}: ${twice.join(' | ').slice(0, 60)}`);
    }
    check(`no line of the ${items.length} item pages of ${department} is numbered twice`,
          numberedTwice.length === 0, numberedTwice.slice(0, 3).join('; '));
    check(`all ${items.length} item pages of ${department} fit 390px in large text`,
          items.length > 5 && tooWide.length === 0, tooWide.join('; '));
    await phone.screenshot({ path: path.join(SHOTS, 'large-text-decisions-390.png'), fullPage: true });
    // High contrast (适老化) on top of the large text: axe checks its colours too.
    await open(phone, '/settings/contrast?mode=high&return=/');
    check('the high-contrast mode is on', (await phone.$eval('body', (b) => b.className)).includes('high-contrast'));
    for (const url of ['/', history, '/enforcement/statistics', '/complaints/new']) {
      await open(phone, url);
      const violations = await axe(phone);
      check(`${url} has no axe violations in high contrast`, violations.length === 0, violations.join('\n  '));
      const wide = await overflow(phone);
      check(`${url} does not scroll sideways at 390px in high contrast`, wide === null, wide);
    }
    await phone.screenshot({ path: path.join(SHOTS, 'high-contrast-large-text-complaint-form-390.png'), fullPage: true });
    await open(phone, '/settings/contrast?mode=normal&return=/');
    await open(phone, '/settings/text-size?size=normal&return=/');

    // The main staff pages, at both widths (the staff context is logged in).
    const staffPages = [['/admin', true], ['/admin/complaints', true], [detail, true],
      ['/admin/complaints/statistics', false], ['/admin/complaints/phone', false], ['/admin/decisions', false],
      ['/admin/audit', false], ['/admin/search', false], ['/admin/sms', false], [`/admin${department}/officers`, false],
      [`/admin${department}/disclosures`, false], [`/admin${department}/import`, false], [`/admin${item}/edit`, false]];
    for (const [url, main] of staffPages) await checkPage(staffPhone, staffDesktop, url, { main, label: 'staff' });
  } finally {
    await browser.close();
  }
  console.log(`browser suite took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(`FAILED: the suite stopped: ${e && e.stack ? e.stack : e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
