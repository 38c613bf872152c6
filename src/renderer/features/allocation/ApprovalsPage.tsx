/** 审批: the coordinator's queue, most urgent and oldest first. */
import { AllocationList } from './AllocationListPage';

export default function ApprovalsPage() {
  return <AllocationList queue />;
}
