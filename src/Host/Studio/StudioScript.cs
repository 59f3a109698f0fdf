namespace Exit.Host.Studio;

/// <summary>
/// Wires the Studio element on the host page to page navigation (see <see cref="StudioView"/> for the paths):
/// list row → editor, instance row → viewer, viewer's "edit definition" → editor. If Studio changes the path
/// through the History API (its own navigation, e.g. after "Run"), the page for the new path is loaded; Studio's
/// query-string updates on the same path (<c>?page=1&amp;pageSize=10</c>) are left alone.
/// Also renews the page's short-lived bearer token while the page is open: Studio reads <c>access-token</c> only
/// when an element initialises and keeps it in one shared backend service, so a fresh token is handed over by adding
/// a new <c>elsa-backend-provider</c> element; when the session has ended the page reloads (and so signs in again).
/// </summary>
internal static class StudioScript
{
    public const string FileName = "exit-studio.js";

    public const string Source = """
        // Exit: connects the Elsa Studio element of this page to navigation. Served by Exit.Host (src/Host/Studio/StudioScript.cs).
        (() => {
          'use strict';
          const provider = document.querySelector('elsa-backend-provider[data-exit-token-url]');
          const every = Number(provider?.dataset.exitTokenRenewMs);
          if (!provider || !(every > 0)) return;
          let current = provider;
          const renew = async () => {
            let response;
            try {
              response = await fetch(provider.dataset.exitTokenUrl, {
                method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{}' });
            } catch { return; } // offline for a moment: the next round tries again
            if (!response.ok) { location.reload(); return; }
            const { accessToken } = await response.json();
            const next = document.createElement('elsa-backend-provider');
            next.setAttribute('remote-endpoint', provider.getAttribute('remote-endpoint'));
            next.setAttribute('access-token', accessToken);
            current.after(next);
            if (current !== provider) current.remove();
            current = next;
            document.documentElement.dataset.exitTokenRenewals = String(Number(document.documentElement.dataset.exitTokenRenewals || 0) + 1);
          };
          setInterval(renew, every);
        })();
        (() => {
          'use strict';
          const element = document.querySelector('#exit-studio-view > *');
          if (!element) return;
          const open = path => location.assign(new URL(path, document.baseURI).href);
          const e = encodeURIComponent;
          const editor = id => open('workflows/definitions/' + e(id) + '/edit');
          const callbacks = {
            'elsa-workflow-definition-list': { editWorkflowDefinition: editor },
            'elsa-workflow-instance-list': { viewWorkflowInstance: id => open('workflows/instances/' + e(id) + '/view') },
            'elsa-workflow-instance-viewer': { editWorkflowDefinition: editor },
          }[element.localName];
          // Set the callbacks once Blazor has defined (and so upgraded) the element: an own property set before
          // that would shadow the element's property setter and never reach Studio.
          if (callbacks) customElements.whenDefined(element.localName).then(() => Object.assign(element, callbacks));

          const path = location.pathname;
          const follow = () => { if (location.pathname !== path) location.reload(); };
          for (const method of ['pushState', 'replaceState']) {
            const original = history[method];
            history[method] = function (...args) {
              const result = original.apply(this, args);
              queueMicrotask(follow);
              return result;
            };
          }
          window.addEventListener('popstate', follow);
        })();
        """;
}
