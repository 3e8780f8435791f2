// pitwall dashboard: shows every <time datetime="…Z"> (rendered in UTC on the server) in the
// reader's own time zone. Our own file, served from the binary.
'use strict';

(function () {
  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function localise(root) {
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      const d = new Date(el.getAttribute('datetime'));
      if (Number.isNaN(d.getTime())) {
        return;
      }
      el.textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) +
        ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
      el.title = d.toString();
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    localise(document);
  });
})();
