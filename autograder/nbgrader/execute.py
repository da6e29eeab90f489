"""nbgrader's ``Execute``, except that a kernel that dies does not fail the whole submission.

Stock nbgrader turns a dead kernel (a student's ``os._exit()``, a segfault, an out-of-memory kill) into an
error for the submission: its autograded copy is deleted and no grade is saved. Here the cell that was
running gets an error output saying so, later cells are left unrun, and the pipeline goes on, so
:class:`~autograder.nbgrader.preprocessor.GradeOutOfKernel` still grades the notebook's code.
"""

from __future__ import annotations

from typing import Any

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute


class TolerantExecute(Execute):
    _kernel_died = False

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> tuple[NotebookNode, Any]:
        self._kernel_died = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        if self._kernel_died:
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._kernel_died = True
            self.log.warning("The kernel died while running cell %d; the remaining cells were not run", index)
            cell.outputs.append(NotebookNode(
                output_type="error", ename="KernelDied",
                evalue="the kernel stopped while running this cell (did the code call exit()?); "
                       "the cells below were not run",
                traceback=["KernelDied: the kernel stopped while running this cell; the cells below were not run"]))
            return cell, self.resources
