// App-wide state: what the backend said at start, the current mission, and
// a data version that every committed write bumps (through the store's
// change event), so that open views reload without polling.
import { listen } from '@tauri-apps/api/event'
import { AppError, api, toAppError } from './api'
import { EVENTS, type AppInfo, type Change, type Mission, type Reminder } from './bindings'
import { showReminders } from './reminders'

const MISSION_KEY = 'mission-crm.current-mission'

class Session {
  info = $state<AppInfo | null>(null)
  startError = $state<AppError | null>(null)
  missions = $state<Mission[]>([])
  currentMissionId = $state<string | null>(localStorage.getItem(MISSION_KEY))
  version = $state(0)

  currentMission = $derived(this.missions.find((m) => m.id === this.currentMissionId) ?? null)

  async start() {
    try {
      this.info = await api.appInfo()
      await listen<Change[]>(EVENTS.change, () => {
        this.version += 1
        void this.refreshMissions()
      })
      await listen<Reminder[]>(EVENTS.reminder, (e) => showReminders(e.payload))
      // The database could not be opened: say why instead of showing empty lists.
      if (this.info.open_error) this.startError = new AppError(this.info.open_error)
      else await this.refreshMissions()
    } catch (e) {
      this.startError = toAppError(e)
    }
  }

  /** A bulk write (an import) announces no per-record changes: reload all. */
  changed() {
    this.version += 1
    void this.refreshMissions()
  }

  async refreshMissions() {
    this.missions = await api.listMissions()
    if (!this.currentMission && this.missions.length > 0) this.selectMission(this.missions[0].id)
  }

  selectMission(id: string) {
    this.currentMissionId = id
    localStorage.setItem(MISSION_KEY, id)
  }
}

export const session = new Session()
