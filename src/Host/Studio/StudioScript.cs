namespace Exit.Host.Studio;

/// <summary>
/// Wires the Studio element on the host page to page navigation (see <see cref="StudioView"/> for the paths):
/// list row → editor, instance row → viewer, viewer's "edit definition" → editor. If Studio changes the path
/// through the History API (its own navigation, e.g. after "Run"), the page for the new path is loaded; Studio's
/// query-string updates on the same path (<c>?page=1&amp;pageSize=10</c>) are left alone.
/// </summary>
internal static class StudioScript
{
    public const string FileName = "exit-studio.js";

    public const string Source = """
        // Exit: connects the Elsa Studio element of this page to navigation. Served by Exit.Host (src/Host/Studio/StudioScript.cs).
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
