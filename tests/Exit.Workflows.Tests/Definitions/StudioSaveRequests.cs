namespace Exit.Workflows.Tests.Definitions;

/// <summary>Save request bodies Elsa Studio 3.8.2 sent (shared/elsa-studio/observed-requests.jsonl, requests 18, 42 and 95).</summary>
internal static class StudioSaveRequests
{
    /// <summary>The first save of the Timer → Delay → Acme.SendReport workflow.</summary>
    public const string FirstSave = """
{
 "model": {
  "definitionId": "wf1",
  "name": "Nightly report",
  "description": "demo",
  "toolVersion": "3.8.2.0",
  "variables": [],
  "inputs": [],
  "outputs": [],
  "outcomes": [],
  "customProperties": {},
  "isReadonly": false,
  "options": {
   "activationStrategyType": null,
   "usableAsActivity": null,
   "autoUpdateConsumingWorkflows": false,
   "activityCategory": null,
   "incidentStrategyType": null,
   "commitStrategyName": null
  },
  "root": {
   "id": "flowchart1",
   "nodeId": "Workflow1:flowchart1",
   "name": "Flowchart1",
   "type": "Elsa.Flowchart",
   "version": 1,
   "customProperties": {
    "notFoundConnections": [],
    "canStartWorkflow": false,
    "runAsynchronously": false
   },
   "metadata": {},
   "activities": [
    {
     "interval": {
      "typeName": "TimeSpan",
      "expression": {
       "type": "Literal",
       "value": "1.00:00:00"
      }
     },
     "id": "timer1",
     "nodeId": "Workflow1:flowchart1:timer1",
     "name": "Timer1",
     "type": "Elsa.Timer",
     "version": 1,
     "customProperties": {
      "canStartWorkflow": true,
      "runAsynchronously": false
     },
     "metadata": {
      "designer": {
       "position": {
        "x": -300,
        "y": 0
       },
       "size": {
        "width": 160,
        "height": 54
       }
      }
     }
    },
    {
     "timeSpan": {
      "typeName": "TimeSpan",
      "expression": {
       "type": "Literal",
       "value": "00:00:05"
      }
     },
     "id": "delay1",
     "nodeId": "Workflow1:flowchart1:delay1",
     "name": "Delay1",
     "type": "Elsa.Delay",
     "version": 1,
     "customProperties": {
      "canStartWorkflow": false,
      "runAsynchronously": false
     },
     "metadata": {
      "designer": {
       "position": {
        "x": -50,
        "y": 0
       },
       "size": {
        "width": 160,
        "height": 54
       }
      }
     }
    },
    {
     "recipient": {
      "typeName": "String",
      "expression": {
       "type": "Literal",
       "value": "boss@example.com"
      },
      "memoryReference": null
     },
     "format": {
      "typeName": "String",
      "expression": {
       "type": "Literal",
       "value": "pdf"
      }
     },
     "includeCharts": {
      "typeName": "Boolean",
      "expression": {
       "type": "Literal",
       "value": true
      }
     },
     "body": {
      "typeName": "String",
      "expression": {
       "type": "Literal",
       "value": "Hi"
      }
     },
     "reportUrl": null,
     "id": "report1",
     "nodeId": "Workflow1:flowchart1:report1",
     "name": "SendReport1",
     "type": "Acme.SendReport",
     "version": 1,
     "customProperties": {
      "canStartWorkflow": false,
      "runAsynchronously": false
     },
     "metadata": {
      "designer": {
       "position": {
        "x": 200,
        "y": 0
       },
       "size": {
        "width": 185.171875,
        "height": 54
       }
      }
     }
    }
   ],
   "variables": [],
   "connections": [
    {
     "source": {
      "activity": "timer1",
      "port": "Done"
     },
     "target": {
      "activity": "delay1",
      "port": "In"
     },
     "vertices": []
    },
    {
     "source": {
      "activity": "delay1",
      "port": "Done"
     },
     "target": {
      "activity": "report1",
      "port": "In"
     },
     "vertices": []
    }
   ]
  },
  "links": null,
  "createdAt": "2026-11-22T08:00:00+00:00",
  "version": 1,
  "isLatest": true,
  "isPublished": false,
  "id": "wf1-v1"
 },
 "publish": false
}
""";

    /// <summary>After dragging a second SendReport and connecting it from report1's "Failed" port.</summary>
    public const string AfterDragAndConnect = """
{
 "model": {
  "definitionId": "wf1",
  "name": "Nightly report",
  "description": "demo",
  "toolVersion": "3.8.2.0",
  "variables": [],
  "inputs": [],
  "outputs": [],
  "outcomes": [],
  "customProperties": {},
  "isReadonly": false,
  "options": {
   "activationStrategyType": null,
   "usableAsActivity": null,
   "autoUpdateConsumingWorkflows": false,
   "activityCategory": null,
   "incidentStrategyType": null,
   "commitStrategyName": null
  },
  "root": {
   "id": "flowchart1",
   "nodeId": "Workflow1:flowchart1",
   "name": "Flowchart1",
   "type": "Elsa.Flowchart",
   "version": 1,
   "customProperties": {
    "notFoundConnections": [],
    "canStartWorkflow": false,
    "runAsynchronously": false
   },
   "metadata": {},
   "activities": [
    {
     "interval": {
      "typeName": "TimeSpan",
      "expression": {
       "type": "Literal",
       "value": "1.00:00:00"
      }
     },
     "id": "timer1",
     "nodeId": "Workflow1:flowchart1:timer1",
     "name": "Timer1",
     "type": "Elsa.Timer",
     "version": 1,
     "customProperties": {
      "canStartWorkflow": true,
      "runAsynchronously": false
     },
     "metadata": {
      "designer": {
       "position": {
        "x": -300,
        "y": 0
       },
       "size": {
        "width": 160,
        "height": 54
       }
      }
     }
    },
    {
     "timeSpan": {
      "typeName": "TimeSpan",
      "expression": {
       "type": "Literal",
       "value": "00:00:05"
      }
     },
     "id": "delay1",
     "nodeId": "Workflow1:flowchart1:delay1",
     "name": "Delay1",
     "type": "Elsa.Delay",
     "version": 1,
     "customProperties": {
      "canStartWorkflow": false,
      "runAsynchronously": false
     },
     "metadata": {
      "designer": {
       "position": {
        "x": -50,
        "y": 0
       },
       "size": {
        "width": 160,
        "height": 54
       }
      }
     }
    },
    {
     "recipient": {
      "typeName": "String",
      "expression": {
       "type": "Literal",
       "value": "boss@example.com"
      },
      "memoryReference": null
     },
     "format": {
      "typeName": "String",
      "expression": {
       "type": "Literal",
       "value": "pdf"
      }
     },
     "includeCharts": {
      "typeName": "Boolean",
      "expression": {
       "type": "Literal",
       "value": true
      }
     },
     "body": {
      "typeName": "String",
      "expression": {
       "type": "Literal",
       "value": "Hi"
      }
     },
     "reportUrl": null,
     "id": "report1",
     "nodeId": "Workflow1:flowchart1:report1",
     "name": "SendReport1",
     "type": "Acme.SendReport",
     "version": 1,
     "customProperties": {
      "canStartWorkflow": false,
      "runAsynchronously": false
     },
     "metadata": {
      "designer": {
       "position": {
        "x": 200,
        "y": 0
       },
       "size": {
        "width": 185.171875,
        "height": 54
       }
      }
     }
    },
    {
     "id": "d1d0e0cabe35581d",
     "nodeId": "Workflow1:flowchart1:d1d0e0cabe35581d",
     "name": "SendReport2",
     "type": "Acme.SendReport",
     "version": 1,
     "metadata": {
      "designer": {
       "position": {
        "x": 86.0859375,
        "y": 182
       },
       "size": {
        "width": 185.171875,
        "height": 54
       }
      }
     }
    }
   ],
   "variables": [],
   "connections": [
    {
     "source": {
      "activity": "report1",
      "port": "Failed"
     },
     "target": {
      "activity": "d1d0e0cabe35581d",
      "port": "In"
     },
     "vertices": []
    },
    {
     "source": {
      "activity": "timer1",
      "port": "Done"
     },
     "target": {
      "activity": "delay1",
      "port": "In"
     },
     "vertices": []
    },
    {
     "source": {
      "activity": "delay1",
      "port": "Done"
     },
     "target": {
      "activity": "report1",
      "port": "In"
     },
     "vertices": []
    }
   ]
  },
  "links": null,
  "createdAt": "2026-11-22T08:00:00+00:00",
  "version": 1,
  "isLatest": true,
  "isPublished": false,
  "id": "wf1-v1"
 },
 "publish": false
}
""";

    /// <summary>"Create workflow" from the list: nulls everywhere, a root without nodeId or collections.</summary>
    public const string Create = """
{
 "model": {
  "definitionId": null,
  "name": "Workflow 1",
  "description": null,
  "toolVersion": "3.8.0.0",
  "variables": null,
  "inputs": null,
  "outputs": null,
  "outcomes": null,
  "customProperties": null,
  "isReadonly": false,
  "options": null,
  "root": {
   "id": "1918706b2128f79e",
   "type": "Elsa.Flowchart",
   "version": 1,
   "name": "Flowchart1"
  },
  "links": null,
  "createdAt": "0001-01-01T00:00:00+00:00",
  "version": 1,
  "isLatest": true,
  "isPublished": false,
  "id": null
 },
 "publish": null
}
""";
}
