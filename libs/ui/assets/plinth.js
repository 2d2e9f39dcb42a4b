/* Plinth UI behaviour: searchable selects backed by the REST API, select-all, small helpers.
   Plain JS, no build step; every request stays on this server. */
(function () {
  'use strict';

  function apiSelect(el) {
    // Options come from the model's REST list endpoint (session-authenticated GET), searched with `q`.
    // The server already filters, so the widget must not filter again.
    return new TomSelect(el, {
      valueField: 'id',
      labelField: 'display',
      searchField: ['display'],
      plugins: el.multiple ? ['remove_button'] : [],
      allowEmptyOption: !el.multiple,
      preload: 'focus',
      loadThrottle: 250,
      maxOptions: 100,
      score: function () {
        return function () {
          return 1;
        };
      },
      load: function (query, callback) {
        var url = new URL(el.getAttribute('data-api'), window.location.origin);
        url.searchParams.set('brief', '1');
        url.searchParams.set('limit', '50');
        if (query) url.searchParams.set('q', query);
        fetch(url.toString(), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (r) {
            return r.ok ? r.json() : { results: [] };
          })
          .then(function (body) {
            callback(body.results || []);
          })
          .catch(function () {
            callback();
          });
      },
    });
  }

  function init() {
    document.querySelectorAll('[data-poll-url]').forEach(poll);
    if (window.TomSelect) {
      document.querySelectorAll('select[data-api]').forEach(apiSelect);
      document.querySelectorAll('select[data-searchable]').forEach(function (el) {
        new TomSelect(el, { plugins: ['remove_button'], maxOptions: 500 });
      });
    }
    // Filter forms leave empty fields out of the URL (`?q=edge`, not `?q=edge&name=&kind=`).
    document.querySelectorAll('form.filter-form').forEach(function (form) {
      form.addEventListener('submit', function () {
        form.querySelectorAll('input, select').forEach(function (el) {
          var empty = el.multiple ? el.selectedOptions.length === 0 : el.value === '';
          if (empty && el.name) el.disabled = true;
        });
      });
    });
    document.querySelectorAll('[data-select-all]').forEach(function (box) {
      box.addEventListener('change', function () {
        var form = box.closest('form');
        form.querySelectorAll('input[name="pk"]').forEach(function (c) {
          c.checked = box.checked;
        });
      });
    });
    document.querySelectorAll('[data-color-input]').forEach(function (input) {
      input.addEventListener('input', function () {
        var v = input.value.replace(/^#/, '');
        var preview = input.parentElement.querySelector('.color-preview');
        if (preview && /^[0-9a-fA-F]{6}$/.test(v)) preview.style.backgroundColor = '#' + v;
      });
    });
    document.querySelectorAll('input[type=file][data-csv-into]').forEach(function (input) {
      input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        if (!file) return;
        file.text().then(function (text) {
          document.getElementById(input.getAttribute('data-csv-into')).value = text;
        });
      });
    });
  }

  // Live parts of a page (a running job's log): `data-poll-url` answers a fresh copy of the
  // element, fetched every second until the copy no longer carries the attribute.
  function poll(el) {
    var url = el.getAttribute('data-poll-url');
    setTimeout(function () {
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) {
          return r.ok ? r.text() : null;
        })
        .then(function (text) {
          if (text === null) return;
          var holder = document.createElement('div');
          holder.innerHTML = text;
          var next = holder.firstElementChild;
          if (!next) return;
          el.replaceWith(next);
          if (next.hasAttribute('data-poll-url')) poll(next);
        })
        .catch(function () {
          poll(el);
        });
    }, 1000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
